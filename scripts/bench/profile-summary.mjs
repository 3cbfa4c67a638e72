// Reads a V8 .cpuprofile (node --cpu-prof) and says where the self time went: by package (the
// node_modules directory a function's file is in; Next's own bundles; our code; Node; GC) and by
// function. Used by `npm run bench -- --profile`.
import { readFileSync } from 'node:fs';

/** What a profiled function's script URL belongs to. */
export function packageOf(url, functionName = '') {
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'program (V8, native)';
    return 'native';
  }
  if (url.startsWith('node:')) return 'node';
  const path = decodeURIComponent(url.replace(/^file:\/\//, ''));
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules !== -1) {
    const [first, second] = path.slice(inModules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? 'node_modules');
  }
  // Next bundles the app and whatever it does not keep external into .next/server chunks.
  if (/\/\.next(-bench)?\/server\//.test(path)) return 'app bundle (.next/server: our code and bundled deps)';
  if (path.endsWith('/dist/server.js')) return 'server.ts (dist/server.js)';
  return 'other';
}

/** Self time per package and the top self-time functions, in ms and % of the non-idle total. */
export function summarizeProfile(file, { top = 12 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const deltas = profile.timeDeltas ?? [];
  const selfMs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMs.set(id, (selfMs.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  const byPackage = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const { callFrame } = nodes.get(id);
    const pkg = packageOf(callFrame.url, callFrame.functionName);
    if (pkg === 'idle') continue;
    total += ms;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
    const name = `${callFrame.functionName || '(anonymous)'} [${pkg}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  const rank = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => ({ name, ms: Math.round(ms), percent: total ? Math.round((ms / total) * 1000) / 10 : 0 }));
  return { totalMs: Math.round(total), packages: rank(byPackage), functions: rank(byFunction).slice(0, top) };
}

// The pure parts of `npm run bench:ab` (ab.mjs): its options, the order its servers start and warm
// in, and what its windows add up to. Tested in ab-plan.test.ts.
import path from 'node:path';
import { median, perRequest } from './judge.mjs';

export const AB_USAGE =
  'usage: npm run bench:ab -- --b DIR [--a DIR] [--env-a K=V,K=V] [--env-b K=V,K=V] [--path /api/jobs?limit=20] [--copies N] [--windows N] [--seconds N] [--lead-in N] [--warm N] [--connections N] [--bench-build] [--perf]';

const WHOLE = { '--copies': 'copies', '--windows': 'windows', '--seconds': 'seconds', '--lead-in': 'leadIn', '--warm': 'warm', '--connections': 'connections' };

/** `K=V,K=V` → { K: V }; a value may hold `=` but not `,`. */
export function parseEnvList(text, flag) {
  const env = {};
  for (const pair of String(text).split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`${flag} takes NAME=value pairs separated by commas, got "${pair}"\n${AB_USAGE}`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

export function parseAbArgs(argv, cwd = process.cwd()) {
  const options = { a: path.resolve(cwd), b: undefined, envA: {}, envB: {}, path: '/api/jobs?limit=20', copies: 2, windows: 12, seconds: 6, leadIn: 2, warm: 20, connections: 4, benchBuild: false, perf: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new Error(`${flag} needs a value\n${AB_USAGE}`);
      return next;
    };
    if (flag === '--bench-build') options.benchBuild = true;
    else if (flag === '--perf') options.perf = true;
    else if (flag === '--a' || flag === '--b') options[flag.slice(2)] = path.resolve(cwd, value());
    else if (flag === '--env-a') options.envA = parseEnvList(value(), flag);
    else if (flag === '--env-b') options.envB = parseEnvList(value(), flag);
    else if (flag === '--path') {
      options.path = value();
      if (!options.path.startsWith('/')) throw new Error(`--path must start with /, got ${options.path}\n${AB_USAGE}`);
    } else if (WHOLE[flag]) {
      const raw = value();
      const number = Number(raw);
      const least = flag === '--lead-in' || flag === '--warm' ? 0 : 1;
      if (!Number.isInteger(number) || number < least) throw new Error(`${flag} needs a whole number ≥ ${least}, got ${raw}\n${AB_USAGE}`);
      options[WHOLE[flag]] = number;
    } else throw new Error(`unknown option ${argv[i]}\n${AB_USAGE}`);
  }
  if (!options.b) throw new Error(`--b is required: the checkout (with its build) to compare against --a\n${AB_USAGE}`);
  if (options.copies % 2) throw new Error(`--copies must be even (the servers start A B B A …, so that neither side starts first more often), got ${options.copies}\n${AB_USAGE}`);
  if (options.a === options.b && JSON.stringify(options.envA) === JSON.stringify(options.envB)) throw new Error(`--a and --b are the same checkout with the same environment: that is an A/A, which every run already measures\n${AB_USAGE}`);
  return options;
}

/**
 * The servers in the order they start and warm: A B B A, repeated for each two copies of a side.
 * The first started of identical servers was found the dearest (docs/performance.md, item 23),
 * so neither side may start first more often than the other.
 */
export function startOrder(copies) {
  const order = [];
  for (let i = 0; i < copies; i += 2) order.push('a', 'b', 'b', 'a');
  return order.map((side, index) => ({ side, key: `${side}${order.slice(0, index + 1).filter((s) => s === side).length}` }));
}

/**
 * One measured window: CPU ms and requests per server key. The ratio is B's mean CPU per request
 * over A's; each side's A/A is its last copy over its first, servers of one build and environment.
 */
export function windowRatios(perServer) {
  const ms = Object.fromEntries(Object.entries(perServer).map(([key, run]) => [key, perRequest(run)]));
  // In start order: a1, a2, …, a10 (not as strings sort).
  const side = (letter) => Object.keys(ms).filter((key) => key.startsWith(letter)).sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
  const mean = (keys) => keys.reduce((total, key) => total + ms[key], 0) / keys.length;
  const [a, b] = [side('a'), side('b')];
  return { ratio: mean(b) / mean(a), aaA: ms[a.at(-1)] / ms[a[0]], aaB: ms[b.at(-1)] / ms[b[0]], aMs: mean(a), bMs: mean(b) };
}

/** Medians over the windows, how many windows B was cheaper in, and the noise the A/As show. */
export function summarizeAb(windows) {
  const ratio = median(windows.map((w) => w.ratio));
  const aaA = median(windows.map((w) => w.aaA));
  const aaB = median(windows.map((w) => w.aaB));
  const spread = Math.max(Math.abs(aaA - 1), Math.abs(aaB - 1));
  return {
    ratio,
    aaA,
    aaB,
    spread,
    windows: windows.length,
    bCheaperIn: windows.filter((w) => w.ratio < 1).length,
    windowRange: [Math.min(...windows.map((w) => w.ratio)), Math.max(...windows.map((w) => w.ratio))],
    verdict: spread > 0.05 ? 'noise: an A/A outside ±5 %' : Math.abs(ratio - 1) <= spread ? 'no difference beyond the A/A spread' : ratio < 1 ? 'B cheaper' : 'B dearer',
  };
}

// Run after `npm install`: records other platforms' optional native packages in package-lock.json.
// The registry mirror we build with lacks some of them (e.g. @next/swc-darwin-arm64@16.4.6 is a
// 404), so npm leaves them out of the lockfile and `npm ci` then rejects the lockfile as out of
// sync. A lock entry with the platform's os/cpu is what npm itself writes where it can fetch
// them; `npm ci` skips such entries on other platforms and never downloads them.
// docs/decisions/005-lockfile-platform-packages.md
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32', 'wasm32'];
const CPU = { arm64: 'arm64', x64: 'x64', arm: 'arm', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' };

export function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((part) => OS.includes(part));
  if (!os) return null;
  if (os === 'wasm32') return { cpu: ['wasm32'] };
  const cpu = parts.map((part) => CPU[part]).find(Boolean);
  const libc = parts.find((part) => part.startsWith('gnu') || part.startsWith('musl'));
  return { os: [os], ...(cpu ? { cpu: [cpu] } : {}), ...(os === 'linux' && libc ? { libc: [libc.startsWith('musl') ? 'musl' : 'glibc'] } : {}) };
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) continue;
    lock.packages[`node_modules/${name}`] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added.push(`${name}@${version}`);
  }
}
if (added.length) {
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
}
console.log(added.length ? `Recorded ${added.length} platform packages: ${added.join(', ')}` : 'The lockfile already lists every platform package.');

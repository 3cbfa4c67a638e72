// The @prisma/client runtime patch (docs/decisions/013-prisma-runtime-patch.md): applied exactly,
// idempotent, loud when the source changes, present in the installed runtime, and doing what it is
// for: every PrismaPromise shares one hidden class instead of getting one of its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATCHES, patchSource, RUNTIME_FILES } from './patch-prisma-runtime.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('patchSource', () => {
  const original = `a;${PATCHES.map((patch) => patch.find).join('x;')}z`;

  it('replaces each patched source once', () => {
    const patched = patchSource(original);
    for (const patch of PATCHES) {
      expect(patched).not.toContain(patch.find);
      expect(patched).toContain(patch.replace);
    }
  });

  it('leaves an already patched source as it is', () => {
    const patched = patchSource(original);
    expect(patchSource(patched)).toBe(patched);
  });

  it('refuses a source that no longer contains what it patches (an upgrade changed it)', () => {
    expect(() => patchSource(original.replace(PATCHES[0]!.find, 'get spec(){return s},'))).toThrow(/PrismaPromise spec.*found the source 0× and the patch 0×/);
  });

  it('refuses a source that contains it more than once (the replacement would be ambiguous)', () => {
    expect(() => patchSource(original + PATCHES[1]!.find)).toThrow(/let scope.*found the source 2×/);
  });
});

describe('the installed runtime', () => {
  it('carries every patch in every runtime build', () => {
    const dir = path.dirname(require.resolve('@prisma/client/package.json'));
    for (const file of RUNTIME_FILES) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      for (const patch of PATCHES) {
        expect([occurrences(source, patch.find), occurrences(source, patch.replace)], `${file}: ${patch.name} (source, patch)`).toEqual([0, 1]);
      }
    }
  });

  it('gives every PrismaPromise the same hidden class (unpatched, each got one of its own in the old generation; checked on the ESM build, the others carry the same text)', () => {
    // A child process, for V8's natives syntax. Building a query's promise sends nothing: it runs on `then`.
    const dir = mkdtempSync(path.join(tmpdir(), 'prisma-map-'));
    const script = path.join(dir, 'same-map.ts');
    writeFileSync(
      script,
      `import { PrismaPg } from ${JSON.stringify(require.resolve('@prisma/adapter-pg'))};
import { PrismaClient } from ${JSON.stringify(path.join(root, 'lib/db/generated/client.ts'))};
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: 'postgres://127.0.0.1:1/none' }) });
const [a, b] = [prisma.$queryRawUnsafe('SELECT 1'), prisma.$queryRawUnsafe('SELECT 2')];
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)'); // natives syntax, parsed by V8 alone
console.log(JSON.stringify({ sameMap: haveSameMap(a, b), tag: Object.prototype.toString.call(a) }));
`,
    );
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ sameMap: true, tag: '[object PrismaPromise]' });
  });
});

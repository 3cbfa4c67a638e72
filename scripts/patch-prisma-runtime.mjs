// Run by `postinstall` (before `prisma generate`): two one-token changes to @prisma/client's
// runtime that stop every query's result from outliving the query in V8's old generation.
// docs/decisions/013-prisma-runtime-patch.md has the measurements; in short:
//
// 1. Every query returns a PrismaPromise built as an object literal with a getter
//    (`get spec(){return n}`). V8 keeps accessors in an object's hidden class, so each PrismaPromise
//    gets a hidden class of its own, allocated in the old generation and pointing at the getter's
//    closure, whose scope holds the query's promise and so its result. A minor GC (scavenge)
//    treats every old-to-young pointer as live without asking whether the old object is, so every
//    result survived until the next full GC: 26 % of the young generation survived each scavenge
//    and 98 % of that was promoted. The getter only ever returns `n`: a data property is the same.
// 2. The query interpreter makes each `let` scope with `Object.create(parentScope)`: a young object
//    made a prototype gets a hidden class in the old generation too, with the same effect on the
//    values bound in it. A flat copy of the parent scope gives the same lookups: scopes are plain
//    objects (`Object.fromEntries`), and a parent is not changed after a child is made from it.
//
// Exact source text, for the exact version: an upgrade that changes it fails here, loudly, so the
// patch is re-measured (or dropped, once Prisma ships the fix) instead of silently lost.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const PRISMA_CLIENT_VERSION = '7.10.0';
// Every build of the runtime that contains the query interpreter (Node CJS and ESM, edge).
export const RUNTIME_FILES = ['runtime/client.js', 'runtime/client.mjs', 'runtime/wasm-compiler-edge.js', 'runtime/wasm-compiler-edge.mjs'];
export const PATCHES = [
  { name: 'PrismaPromise spec as a data property', find: 'get spec(){return n},', replace: 'spec:n,' },
  { name: 'interpreter let scope as a flat copy', find: 'case"let":{let n=Object.create(r.scope);', replace: 'case"let":{let n={...r.scope};' },
  { name: 'evaluator let scope as a flat copy', find: 'case"let":{let i=Object.create(r);', replace: 'case"let":{let i={...r};' },
];

/** The source with every patch applied; throws unless each is found exactly once or already applied. */
export function patchSource(source, patches = PATCHES) {
  let result = source;
  for (const patch of patches) {
    const found = result.split(patch.find).length - 1;
    const applied = result.split(patch.replace).length - 1;
    if (found === 1) result = result.replace(patch.find, patch.replace);
    else if (!(found === 0 && applied === 1)) {
      throw new Error(`"${patch.name}": expected its source once (or its patch once), found the source ${found}× and the patch ${applied}×`);
    }
  }
  return result;
}

export function patchInstalledRuntime(root = process.cwd()) {
  const require = createRequire(path.join(root, 'package.json'));
  const dir = path.dirname(require.resolve('@prisma/client/package.json'));
  const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (version !== PRISMA_CLIENT_VERSION) {
    throw new Error(
      `@prisma/client is ${version}; these patches were written and measured for ${PRISMA_CLIENT_VERSION}. ` +
        'Check whether the new version still builds PrismaPromise with a getter and let scopes with Object.create, ' +
        'then update or drop scripts/patch-prisma-runtime.mjs (docs/decisions/013-prisma-runtime-patch.md).',
    );
  }
  const changed = [];
  for (const file of RUNTIME_FILES) {
    const full = path.join(dir, file);
    const source = readFileSync(full, 'utf8');
    const patched = patchSource(source);
    if (patched !== source) {
      writeFileSync(full, patched);
      changed.push(file);
    }
  }
  return { version, changed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { version, changed } = patchInstalledRuntime();
    console.log(`patch-prisma-runtime: @prisma/client ${version}: ${changed.length ? `patched ${changed.join(', ')}` : 'already patched'}`);
  } catch (error) {
    console.error(`patch-prisma-runtime: ${error.message}`);
    process.exit(1);
  }
}

// The offline schema engine: the WASM loader must match the CLI's engine, and the CLI must work
// through it (status, drift detection) without any download.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const engine = path.join(root, 'scripts/prisma-schema-engine.mjs');
const prismaCli = path.join(path.dirname(require.resolve('prisma/package.json')), 'build/index.js');

function wasmImports(file: string): string[] {
  return WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(file)))
    .map((entry) => `${entry.module}:${entry.name}:${entry.kind}`)
    .sort();
}

describe('offline schema engine', () => {
  it('uses a WASM engine whose imports match the JS loader it is given (fails if either package changes)', () => {
    const cliWasm = path.join(path.dirname(require.resolve('prisma/package.json')), 'build/schema_engine_bg.wasm');
    const loaderWasm = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    expect(wasmImports(cliWasm)).toEqual(wasmImports(loaderWasm));
  });

  it('reports the engines version the CLI expects', () => {
    const version = require('@prisma/engines-version/package.json').prisma.enginesVersion as string;
    expect(execFileSync(process.execPath, [engine, '--version'], { encoding: 'utf8' }).trim()).toBe(`schema-engine-cli ${version}`);
  });

  function migrateDiff(schemaFile: string) {
    return spawnSync(
      process.execPath,
      [prismaCli, 'migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', schemaFile, '--exit-code'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', SHADOW_DATABASE_URL: '', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'drift-')) }, timeout: 60_000 },
    );
  }

  it('finds no drift between the migrations and the schema', () => {
    const result = migrateDiff('prisma/schema.prisma');
    expect(result.stderr + result.stdout).not.toMatch(/Error/);
    expect(result.status).toBe(0);
  });

  it('exits 2 when the schema has a change no migration contains', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-schema-'));
    cpSync(path.join(root, 'prisma/schema.prisma'), path.join(dir, 'schema.prisma'));
    const schema = readFileSync(path.join(dir, 'schema.prisma'), 'utf8').replace('  title          String\n', '  title          String\n  slug           String?\n');
    writeFileSync(path.join(dir, 'schema.prisma'), schema);
    const result = migrateDiff(path.join(dir, 'schema.prisma'));
    expect(result.status).toBe(2);
  });
});

#!/usr/bin/env node
// Stand-in for Prisma's native schema-engine binary, for machines that cannot download it.
// The Prisma CLI spawns this file (PRISMA_SCHEMA_ENGINE_BINARY, set in prisma.config.ts) and
// talks JSON-RPC over stdin/stdout; we forward every call to the schema engine compiled to
// WebAssembly that the `prisma` package ships, which reaches the database through a JS driver
// adapter. Why it exists and how to drop it: docs/decisions/001-offline-schema-engine.md.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import path from 'node:path';

const require = createRequire(import.meta.url);

// The Prisma CLI reads engine logs from stderr as JSON lines; errors carry the fields below.
function logError(message, errorCode) {
  process.stderr.write(
    JSON.stringify({
      timestamp: new Date().toISOString(),
      level: 'ERROR',
      target: 'schema_engine::logger',
      fields: { message, ...(errorCode ? { error_code: errorCode } : {}) },
    }) + '\n',
  );
}

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, cli: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--version' || arg === '-V') args.version = true;
    else if (arg === '--datamodels') args.datamodels.push(argv[++i]);
    else if (arg === '--datasource') args.datasource = JSON.parse(argv[++i]);
    else if (arg === 'cli') args.cli = argv[++i];
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++;
  }
  return args;
}

/** `pglite:<dir>` or `pglite:memory` selects the embedded database; anything else is Postgres. */
export function isPgliteUrl(url) {
  return typeof url === 'string' && url.startsWith('pglite:');
}

function pgliteDataDir(url) {
  const rest = url.slice('pglite:'.length).replace(/^\/\//, '');
  return rest === '' || rest === 'memory' ? 'memory://' : path.resolve(rest);
}

// adapter-pg refuses Postgres catalog types it has no column type for ("char", int2vector, ...),
// which the engine's introspection selects (prisma/orm#27403). They are text to the engine.
const SUPPORTED_OIDS = new Set([
  16, 17, 19, 20, 21, 23, 25, 26, 114, 142, 650, 700, 701, 790, 869, 1042, 1043, 1082, 1083, 1114,
  1184, 1266, 1560, 1562, 1700, 2950, 3802, 143, 199, 651, 791, 1000, 1001, 1002, 1005, 1007, 1009,
  1014, 1015, 1016, 1021, 1022, 1028, 1041, 1115, 1182, 1183, 1185, 1231, 1561, 1563, 2951, 3807,
]);
const CATALOG_ARRAY_OIDS = new Set([1003, 1006, 1008, 1010, 1011, 1012, 1013, 2207]);
const FIRST_NORMAL_OBJECT_ID = 16384;

function reportCatalogTypesAsText(res) {
  for (const field of res?.fields ?? []) {
    if (field.dataTypeID >= FIRST_NORMAL_OBJECT_ID || SUPPORTED_OIDS.has(field.dataTypeID)) continue;
    field.dataTypeID = CATALOG_ARRAY_OIDS.has(field.dataTypeID) ? 1009 : 25;
  }
  return res;
}

function patchPgCatalogTypes(pg) {
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function queryWithCatalogTypesAsText(...args) {
    // pg.Pool calls client.query(text, values, callback); adapter-pg awaits the promise form.
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last];
      args[last] = (err, res) => callback(err, err ? res : reportCatalogTypesAsText(res));
    }
    const result = original.apply(this, args);
    return result && typeof result.then === 'function' ? result.then(reportCatalogTypesAsText) : result;
  };
}

async function postgresAdapterFactory(url) {
  const pg = (await import('pg')).default;
  patchPgCatalogTypes(pg);
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const factory = new PrismaPg({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // adapter-pg drops its shadow database while its own pool still holds connections, which
  // Postgres refuses; we end the pool first and then drop WITH (FORCE).
  factory.connectToShadowDb = async () => {
    const database = `prisma_shadow_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database}"`);
    } finally {
      await admin.end();
    }
    const shadowUrl = new URL(url);
    shadowUrl.pathname = `/${database}`;
    const shadowPool = new pg.Pool({ connectionString: shadowUrl.toString() });
    const shadowFactory = new PrismaPg(shadowPool);
    const adapter = await shadowFactory.connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await shadowPool.end().catch(() => {});
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    };
    return adapter;
  };
  return { factory, close: async () => {} };
}

async function pgliteAdapterFactory(url) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const dataDir = pgliteDataDir(url);
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
  const db = new PGlite({ dataDir });
  await db.waitReady;
  return { factory: new PrismaPGlite(db), close: () => db.close() };
}

async function adapterFactoryFor(datasource) {
  const url = datasource?.url ?? process.env.DATABASE_URL;
  if (!url) throw new Error('No datasource url: set DATABASE_URL or datasource.url in prisma.config.ts');
  return isPgliteUrl(url) ? pgliteAdapterFactory(url) : postgresAdapterFactory(url);
}

async function loadWasmEngine() {
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  // The engine compiled into the CLI package matches the CLI's version exactly; the loader of
  // @prisma/schema-engine-wasm has identical imports (checked in scripts/prisma-schema-engine.test.ts).
  const wasmPath = path.join(path.dirname(require.resolve('prisma/package.json')), 'build/schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

async function openEngine(args) {
  const glue = await loadWasmEngine();
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const { factory, close } = await adapterFactoryFor(args.datasource);
  const datamodels = args.datamodels.length
    ? args.datamodels.map((file) => [file, readFileSync(file, 'utf8')])
    : undefined;
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await glue.SchemaEngine.new({ datamodels }, () => {}, bound);
  return { engine, close, bound };
}

function enginesVersion() {
  return require('@prisma/engines-version/package.json').prisma.enginesVersion;
}

async function runCliCommand(args) {
  const url = args.datasource?.url;
  if (isPgliteUrl(url)) {
    // An embedded database exists as soon as it is opened.
    const { close } = await pgliteAdapterFactory(url);
    await close();
    return;
  }
  const pg = (await import('pg')).default;
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1)) || 'postgres';
  if (args.cli === 'can-connect-to-database') {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    await client.connect();
    await client.end();
    return;
  }
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    const quoted = `"${database.replaceAll('"', '""')}"`;
    if (args.cli === 'create-database') await admin.query(`CREATE DATABASE ${quoted}`);
    else if (args.cli === 'drop-database') await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    else throw new Error(`Unknown schema-engine cli command: ${args.cli}`);
  } finally {
    await admin.end();
  }
}

function toRpcError(error, bound) {
  const registered = bound?.errorRegistry?.lookupError?.(error);
  const cause = registered?.error ?? error;
  const message = cause?.message ?? String(cause);
  const errorCode = typeof cause?.code === 'string' && /^P\d{4}$/.test(cause.code) ? cause.code : undefined;
  return { code: 4466, message, data: { is_panic: false, message, error_code: errorCode, meta: cause?.meta ?? null } };
}

async function serveJsonRpc(args) {
  let opened;
  const engine = async () => (opened ??= openEngine(args));
  let nextPrintId = 1_000_000;
  const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');
  const methods = {
    getDatabaseVersion: (e, params) => e.version(params ?? undefined),
    createDatabase: async () => {
      await runCliCommand({ ...args, cli: 'create-database' });
      return { databaseName: 'database' };
    },
  };
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const request = JSON.parse(line);
    if (request.method === undefined) return; // the CLI's answer to one of our `print` requests
    queue = queue.then(async () => {
      let state;
      try {
        state = await engine();
        const { engine: e } = state;
        const special = methods[request.method];
        let result;
        if (special) result = await special(e, request.params);
        else if (typeof e[request.method] === 'function') result = await e[request.method](request.params ?? {});
        else throw new Error(`Method not supported by the offline schema engine: ${request.method}`);
        if (request.method === 'diff' && result?.stdout) {
          // The native engine prints diffs through a `print` request to the CLI.
          send({ id: nextPrintId++, method: 'print', params: { content: result.stdout.replace(/\n$/, '') } });
          const { stdout: _printed, ...rest } = result;
          result = rest;
        }
        send({ id: request.id, result: result ?? null });
      } catch (error) {
        send({ id: request.id, error: toRpcError(error, state?.bound) });
      }
    });
  });
  lines.on('close', () => {
    queue
      .then(async () => {
        if (opened) await (await opened).close();
      })
      .finally(() => process.exit(0));
  });
}

const args = parseArgs(process.argv.slice(2));
if (args.version) {
  process.stdout.write(`schema-engine-cli ${enginesVersion()}\n`);
} else if (args.cli) {
  runCliCommand(args).then(
    () => process.exit(0),
    (error) => {
      logError(error?.message ?? String(error), error?.code === '3D000' ? 'P1003' : 'P1001');
      process.exit(1);
    },
  );
} else {
  serveJsonRpc(args);
}

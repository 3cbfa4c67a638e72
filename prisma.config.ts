import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Offline stand-in for the native schema engine (docs/decisions/001-offline-schema-engine.md).
// An explicit PRISMA_SCHEMA_ENGINE_BINARY (the real binary, where it can be had) still wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve('scripts/prisma-schema-engine.mjs');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    // Migrations run as the schema's owner (MIGRATION_DATABASE_URL); the app's own role may not
    // change the schema (ops/postgres/roles.sql). Without either, the CLI works on the embedded
    // database the app itself uses.
    url: process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL || `pglite:${process.env.DATA_DIR || '.data'}/pglite`,
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL || undefined,
  },
});

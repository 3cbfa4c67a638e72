import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    // A shared Postgres: make sure the demo data is there (idempotent). The embedded DB seeds itself.
    const root = path.resolve(import.meta.dirname, '../..');
    execFileSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/seed.ts'], { cwd: root, stdio: 'inherit' });
  }
  const server = await startServer();
  project.provide('baseUrl', server.url);
  return async () => {
    const code = await server.stop();
    if (code !== 0) console.error(`server exited with ${code}:\n${server.output().slice(-4000)}`);
  };
}

// The Next config the build resolved, for the production server to run with. `next build` writes it
// to <distDir>/required-server-files.json (Next's own standalone server starts from the same file).
// `applyBuiltNextConfig` hands it to Next the way that standalone server does, through
// __NEXT_PRIVATE_STANDALONE_CONFIG, which Next's config loader takes before any `conf` or config file (so
// next()'s own `conf` option adds nothing; alone, it does not reach the router server, which would
// load next.config.ts anyway). The variable is private to Next: test/built-config.test.ts
// fails if an upgrade stops reading it. The server then never looks for next.config.ts. Two things follow,
// both measured (docs/performance.md, "What changed", 9):
// - the image, which ships no next.config.ts, runs the config it was built with: without this it ran
//   Next's defaults, and every page carried `X-Powered-By: Next.js` despite `poweredByHeader: false`;
// - no compiler at run time: loading next.config.ts loads Next's native SWC binding to transpile it,
//   23 MiB of resident memory for the life of the process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NextConfig } from 'next';

/** Where the build is: `.next`, or `.next-bench` for `npm run build:bench` (as next.config.ts decides). */
export function distDirFor(env: Record<string, string | undefined>): string {
  return env.NEXT_BENCH_BUILD === '1' ? '.next-bench' : '.next';
}

/** The resolved config of the build in `dir`/`distDir`; throws, saying what to run, when there is none. */
export function builtNextConfig(dir: string, distDir: string): NextConfig {
  const file = path.join(dir, distDir, 'required-server-files.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`No usable production build: ${file} could not be read (${(error as Error).message}). Run \`npm run build\` first.`);
  }
  const config = (parsed as { config?: unknown } | null)?.config;
  if (!config || typeof config !== 'object' || (config as { distDir?: unknown }).distDir !== distDir) {
    throw new Error(`${file} holds no Next config for ${distDir}: rebuild with \`npm run build\`.`);
  }
  return config as NextConfig;
}

/**
 * Makes Next run with the build's config (builtNextConfig) instead of loading next.config.ts: sets
 * __NEXT_PRIVATE_STANDALONE_CONFIG, read by Next's config loader, as Next's standalone server.js
 * does. Returns the config it set. Call it before next().
 */
export function applyBuiltNextConfig(dir: string, distDir: string, env: Record<string, string | undefined> = process.env): NextConfig {
  const config = builtNextConfig(dir, distDir);
  env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
  return config;
}

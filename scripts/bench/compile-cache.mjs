// Node's compile cache as the image has it. The Dockerfile fills one by starting the server once
// (scripts/image/fill-compile-cache.mjs) and sets NODE_COMPILE_CACHE; a start that reads it listens
// sooner, and holds its entries in memory for its whole life (~10 MiB of RSS, docs/performance.md).
// So bench:start and the soak, which measure start-up and memory as the image runs, fill one the
// same way first.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { asTheImageRuns, imageEnv, readDockerfile } from './image-runtime.mjs';

const root = path.resolve(import.meta.dirname, '../..');

/** Whether the image ships a compile cache (its Dockerfile sets NODE_COMPILE_CACHE). */
export const imageHasCompileCache = (dockerfile = readDockerfile()) => Boolean(imageEnv(dockerfile).NODE_COMPILE_CACHE);

/**
 * A fresh compile cache in .data/bench/compile-cache, filled as the Dockerfile fills the image's:
 * the same script, with `nodeFlags` (those of the servers it is for) and the image's NODE_ENV (which
 * decides what modules load). Returns the environment that makes a server read it; throws when
 * filling fails. Prints the script's line.
 */
export function fillImageCompileCache(nodeFlags) {
  const dir = path.join(root, '.data/bench/compile-cache');
  rmSync(dir, { recursive: true, force: true });
  const fill = spawnSync(process.execPath, [...nodeFlags, 'scripts/image/fill-compile-cache.mjs'], {
    cwd: root,
    env: { ...process.env, ...asTheImageRuns().env, NODE_COMPILE_CACHE: dir },
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 240_000,
  });
  if (fill.status !== 0) throw new Error(`filling the compile cache failed (${fill.error ? fill.error.message : `exit ${fill.status ?? fill.signal}`})`);
  return { NODE_COMPILE_CACHE: dir };
}

/** The environment of a server that must read no compile cache, even one this shell names. */
export const withoutCompileCache = () => ({ NODE_COMPILE_CACHE: '', NODE_DISABLE_COMPILE_CACHE: '1' });

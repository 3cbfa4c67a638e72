// The bench tools measure the build on disk, not the source. An edit made after the last build is
// measured as if it were in it, with no sign: on 2026-12-06 three bench runs measured the bench
// build of the commit before the one they were reported against (docs/performance.md). This says
// which source file is newer than the build, so the tools can refuse to measure it.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

// What `next build` and esbuild read (server.ts's bundle): the app, its libraries, the schema and
// generated client, the configs and the locked dependencies. Tests, docs and scripts are not in a build.
// Ignored files are left out, the generated Prisma client with them (lib/db/generated): it is rewritten
// from prisma/schema.prisma, which is compared, and steps between a build and a bench may regenerate it.
const BUILD_INPUT = /^(app|lib|prisma)\/|^(server\.ts|proxy\.ts|instrumentation\.ts|next\.config\.ts|postcss\.config\.mjs|tsconfig\.json|package-lock\.json)$/;
const NOT_BUILT = /\.test\.tsx?$/;

/**
 * The build input under `root` (tracked or new, not ignored, per git) modified after `builtAtMs`,
 * the newest first; `undefined` when there is none, and when `root` is not a git work tree (an
 * image or a tarball: nothing to compare with).
 */
export function newestSourceAfter(root, builtAtMs) {
  let files;
  try {
    files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).split('\0');
  } catch {
    return undefined;
  }
  let newest;
  for (const file of files) {
    if (!BUILD_INPUT.test(file) || NOT_BUILT.test(file)) continue;
    let mtimeMs;
    try {
      mtimeMs = statSync(path.join(root, file)).mtimeMs;
    } catch {
      continue; // deleted in the work tree and not yet from the index
    }
    if (mtimeMs > builtAtMs && (!newest || mtimeMs > newest.mtimeMs)) newest = { file, mtimeMs };
  }
  return newest;
}

/**
 * Throws when a build input is newer than the oldest of `builtFiles` (each build writes its own:
 * Next's BUILD_ID, esbuild's dist/server.js), naming the file and the command that rebuilds.
 */
export function assertBuildCurrent(root, builtFiles, buildCommand) {
  const builtAtMs = Math.min(...builtFiles.map((file) => statSync(path.join(root, file)).mtimeMs));
  const newer = newestSourceAfter(root, builtAtMs);
  if (newer) {
    const by = Math.round((newer.mtimeMs - builtAtMs) / 1000);
    throw new Error(`The build is older than its source: ${newer.file} changed ${by} s after ${builtFiles.join(' and ')}; it would measure code that is not there. Run \`${buildCommand}\` first.`);
  }
}

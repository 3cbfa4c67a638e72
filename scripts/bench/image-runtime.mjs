// How the image runs the server, read from the Dockerfile: its V8 flags (`ENV NODE_OPTIONS="…"`)
// and its environment. The bench, the soak, bench:start, the rehearsals and the integration tests
// start their servers this way (asTheImageRuns), and lib/lifecycle/deploy-config.test.ts ties the
// platforms' memory to the flags.
import { readFileSync } from 'node:fs';
import path from 'node:path';

let dockerfileText;
/** This checkout's Dockerfile, as text: read once per process (every server a bench or suite starts asks for it). */
export const readDockerfile = () => (dockerfileText ??= readFileSync(path.resolve(import.meta.dirname, '../../Dockerfile'), 'utf8'));

/** The flags of the image's NODE_OPTIONS, as node arguments (quoted, or a single unquoted flag). */
export function imageNodeOptions(dockerfile) {
  const match = dockerfile.match(/^ENV NODE_OPTIONS=(?:"([^"\n]*)"|'([^'\n]*)'|(\S+))/m);
  return match ? (match[1] ?? match[2] ?? match[3]).split(/\s+/).filter(Boolean) : [];
}

/** What the last stage's `ENV` instructions set to a literal value (one from a `${build arg}` is left out), by name. */
export function imageEnv(dockerfile) {
  const lastStage = dockerfile.split(/^FROM\s/m).at(-1) ?? '';
  const env = {};
  for (const [, assignments] of lastStage.matchAll(/^ENV\s+(.+)$/gm)) {
    for (const [, name, value] of assignments.matchAll(/([A-Za-z_]\w*)=("[^"]*"|'[^']*'|\S*)/g)) {
      const unquoted = value.replace(/^(["'])(.*)\1$/, '$2');
      if (!unquoted.includes('$')) env[name] = unquoted;
    }
  }
  return env;
}

/**
 * How a server started from this checkout runs as the image runs it: the image's V8 flags as node
 * arguments; its NODE_ENV, so that libraries take their production paths (Prisma's minimal
 * errors capture no stack per query; React's production build), which Next does not set for a
 * custom server; and its MALLOC_ARENA_MAX, how many heaps glibc's malloc may keep (with one, the
 * soak's peak RSS with the helper threads on a second core was lower in most runs:
 * docs/performance.md, item 27).
 * Each caller adds its own PORT, APP_ENV and the rest.
 */
export function asTheImageRuns(dockerfile = readDockerfile()) {
  const { NODE_ENV, MALLOC_ARENA_MAX } = imageEnv(dockerfile);
  if (!NODE_ENV) throw new Error('the Dockerfile sets no NODE_ENV for the image: the servers started here would not run as it does');
  if (!['production', 'development', 'test'].includes(NODE_ENV)) throw new Error(`the Dockerfile sets NODE_ENV=${NODE_ENV}: production, development or test expected`);
  if (MALLOC_ARENA_MAX !== undefined && !/^[1-9]\d*$/.test(MALLOC_ARENA_MAX)) {
    throw new Error(`the Dockerfile sets MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX}: a positive whole number expected (glibc ignores anything else)`);
  }
  return { nodeFlags: imageNodeOptions(dockerfile), env: { NODE_ENV, ...(MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX } : {}) } };
}

const flagMiB = (options, name) => {
  const flag = options.find((option) => option.startsWith(`${name}=`));
  return flag ? Number(flag.slice(name.length + 1)) : undefined;
};

/** The old generation's limit the image sets (--max-old-space-size), in MiB. */
export function imageHeapMiB(dockerfile) {
  return flagMiB(imageNodeOptions(dockerfile), '--max-old-space-size');
}

/** Each of the young generation's semi-spaces (--max-semi-space-size), in MiB: V8's young generation is three of them. */
export function imageSemiSpaceMiB(dockerfile) {
  return flagMiB(imageNodeOptions(dockerfile), '--max-semi-space-size');
}

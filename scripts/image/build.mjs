// `npm run image:build`: the real image, built by a Docker engine from the Dockerfile Fly builds.
// First the offline stand-in for its base image (scripts/image/base.sh, reused when current),
// then `docker build --build-arg GIT_SHA=<HEAD>`, tagged jobboard:<sha12> and jobboard:local.
// Prints the build's steps as they run, then the image size and its largest layers.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { docker, requireEngine } from './docker.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const t0 = Date.now();
const log = (message) => console.log(`[image ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}`);

/**
 * The Dockerfile's base image: a real one (pulled, no stand-in label) is used as it is; otherwise
 * the offline stand-in is built or reused (scripts/image/base.sh, docs/decisions/011-offline-base-image.md).
 */
async function ensureBaseImage() {
  const baseTag = readFileSync(path.join(root, 'Dockerfile'), 'utf8').match(/^FROM\s+(\S+)/m)?.[1];
  if (!baseTag) throw new Error('the Dockerfile has no FROM line');
  const inspected = await docker(['image', 'inspect', '--format', '{{json .Config.Labels}}', baseTag], { allowFailure: true });
  const standIn = inspected.code === 0 && Boolean(JSON.parse(inspected.stdout || 'null')?.['org.jobboard.base-recipe']);
  if (inspected.code === 0 && !standIn) return log(`base image ${baseTag}: present and not a stand-in, used as it is`);
  if (inspected.code !== 0) {
    const pulled = await docker(['pull', baseTag], { allowFailure: true, timeoutMs: 60_000 }).catch(() => ({ code: 1, stderr: 'timed out' }));
    if (pulled.code === 0) return log(`base image ${baseTag}: pulled`);
    log(`base image ${baseTag}: no registry answers (${pulled.stderr.trim().split('\n').at(-1)?.slice(0, 100)}); building the offline stand-in`);
  }
  const base = spawnSync('bash', [path.join(root, 'scripts/image/base.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (base.status !== 0) throw new Error('the base image could not be built (see above)');
  log(`base image ${base.stdout.trim()}: the offline stand-in`);
}

try {
  log(`Docker engine ${await requireEngine()}`);
  await ensureBaseImage();

  const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  const tags = [`jobboard:${sha.slice(0, 12)}`, 'jobboard:local'];
  log(`docker build --build-arg GIT_SHA=${sha} -t ${tags.join(' -t ')}`);
  await docker(['build', '--build-arg', `GIT_SHA=${sha}`, ...tags.flatMap((tag) => ['-t', tag]), '.'], {
    timeoutMs: 1_800_000,
    onLine: (line) => {
      if (/^Step \d+\/\d+ : /.test(line)) log(`  ${line.slice(0, 140)}`);
    },
  });
  const { stdout: size } = await docker(['image', 'inspect', '--format', '{{.Size}}', tags[0]]);
  const { stdout: history } = await docker(['history', '--no-trunc', '--format', '{{.Size}}\t{{.CreatedBy}}', tags[0]]);
  log(`built ${tags.join(', ')}: ${(Number(size) / 1e6).toFixed(0)} MB`);
  const layers = history
    .trim()
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([bytes, command]) => command !== undefined && bytes !== '0B');
  console.log(`  ${layers.length} non-empty layers, largest first:`);
  const toBytes = (text) => Number.parseFloat(text) * ({ B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 }[text.replace(/[\d.]/g, '')] ?? 1);
  for (const [bytes, command] of layers.sort((a, b) => toBytes(b[0]) - toBytes(a[0]))) {
    console.log(`  ${bytes.padStart(8)}  ${command.replace(/^\/bin\/sh -c (#\(nop\) )?/, '').replace(/\s+/g, ' ').slice(0, 110)}`);
  }
} catch (error) {
  console.error(`image:build: ${error.message}`);
  process.exit(1);
}

// The docker CLI as the image scripts call it: each command with a time limit, its output kept.
// BuildKit stays off (DOCKER_BUILDKIT=0): it would pull the Dockerfile's `# syntax=` frontend
// image from a registry, and none is reachable here (docs/decisions/011-offline-base-image.md).
import { spawn } from 'node:child_process';

export const dockerEnv = { ...process.env, DOCKER_BUILDKIT: '0' };

/** Runs `docker …args`; rejects with its stderr on a non-zero exit unless `allowFailure`. `onLine` sees stdout as it comes. */
export function docker(args, { timeoutMs = 120_000, allowFailure = false, onLine = null, input = null } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env: dockerEnv, stdio: [input === null ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!onLine) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) onLine(line);
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    if (input !== null) child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new Error('the docker CLI is not installed (apt-get install docker.io)') : error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 || allowFailure) return resolve({ code, stdout, stderr });
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exited ${code ?? signal}`;
      reject(new Error(`docker ${args.slice(0, 2).join(' ')} ${why}: ${(stderr || stdout).trim().split('\n').slice(-6).join(' | ')}`));
    });
  });
}

/** Throws a readable error unless a Docker engine answers. */
export async function requireEngine() {
  const info = await docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000, allowFailure: true }).catch((error) => ({ code: 1, stderr: error.message }));
  if (info.code !== 0) throw new Error(`no Docker engine answers (${info.stderr.trim().split('\n')[0]}): start one (dockerd, or scripts/image/dockerd.sh start)`);
  return info.stdout.trim();
}

// One container of the real image, shaped like launchServer's process (scripts/launch-server.mjs)
// so the rehearsal fleet can run either: `docker run` attached (its output kept, its exit code the
// container's), on the host network (the instance listens on its own PORT behind HAProxy, and
// reaches the loopback Postgres). Stopping is what Fly and Kubernetes do: `docker stop -t
// <kill timeout>` — SIGTERM, then SIGKILL when the timeout runs out.
import { spawn } from 'node:child_process';
import { docker, dockerEnv } from './docker.mjs';

export function launchContainer({ image, name, env }) {
  const args = ['run', '--rm', '--name', name, '--network', 'host', ...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]), image];
  const child = spawn('docker', args, { env: dockerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    name,
    exited,
    output: () => output,
    /** `docker stop -t killTimeoutS`: SIGTERM to the container's PID 1, SIGKILL after the timeout. Resolves with the exit code. */
    async terminate(killTimeoutS) {
      await docker(['stop', '-t', String(killTimeoutS), name], { timeoutMs: (killTimeoutS + 30) * 1000, allowFailure: true });
      return exited;
    },
    /** CPU weight relative to the default 1024 (cgroup cpu shares); false where the engine cannot set it. */
    async setCpuShares(shares) {
      for (let attempt = 0; attempt < 50; attempt++) {
        const updated = await docker(['update', '--cpu-shares', String(shares), name], { allowFailure: true, timeoutMs: 10_000 });
        if (updated.code === 0) return true;
        if (!/No such container|is not running/i.test(updated.stderr)) return false;
        await new Promise((resolve) => setTimeout(resolve, 100)); // not created yet
      }
      return false;
    },
    /** Removes the container whatever its state (the rehearsal's clean-up). */
    async remove() {
      await docker(['rm', '-f', name], { allowFailure: true, timeoutMs: 30_000 });
      return exited;
    },
  };
}

// The one launcher of the built server (dist/server.js, or an image's CMD): the integration tests
// (test/support/server.ts), the benches (scripts/bench/server.mjs), the rehearsals
// (scripts/rehearse/fleet.mjs) and the image rehearsal start it through here. It spawns the
// process with its env, keeps its output, waits for readiness when asked, and stops it with
// SIGTERM (SIGKILL after a grace period). Playwright starts it with `node dist/server.js` itself
// (its webServer runs a command); that is `npm start`'s command too.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** A free loopback port (the OS picks; closed again before it is returned). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Spawns the server. `env` is added to this process's env, or is the whole env with `replaceEnv`
 * (as an image gets only what the platform sets). `prefix` runs it under another command (e.g.
 * `['taskset', '-c', '0']`, which execs node: the pid is the server's).
 */
export function launchServer({ env = {}, cwd = root, argv = ['dist/server.js'], prefix = [], replaceEnv = false } = {}) {
  const [command, args] = prefix.length > 0 ? [prefix[0], [...prefix.slice(1), process.execPath, ...argv]] : [process.execPath, argv];
  const child = spawn(command, args, { cwd, env: replaceEnv ? env : { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    pid: child.pid,
    exited,
    output: () => output,
    /** Polls `${url}/api/readyz` until 200; throws with the server's output if it exits or the time runs out. */
    async waitUntilReady(url, { timeoutMs = 90_000, label = 'the server' } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${label} exited during start-up (code ${child.exitCode}):\n${output}`);
        const ready = await fetch(`${url}/api/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
          (response) => response.ok,
          () => false, // not listening yet
        );
        if (ready) return;
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`${label} was not ready within ${timeoutMs} ms:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    /** SIGTERM (if still running), SIGKILL after `graceMs`; resolves with the exit code. */
    async stop({ graceMs = 30_000 } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

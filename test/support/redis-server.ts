// A redis-server child process for tests on a free loopback port; stop() kills only it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { freePort } from '../../scripts/launch-server.mjs';

export const redisAvailable = () => !spawnSync('redis-server', ['--version']).error;

export async function startRedis(port?: number) {
  const chosen = port ?? (await freePort());
  const child: ChildProcess = spawn('redis-server', ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(chosen), 'ping']).stdout?.toString().trim() === 'PONG') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    cli: (...args: string[]) => spawnSync('redis-cli', ['-p', String(chosen), ...args], { encoding: 'utf8' }).stdout.trim(),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

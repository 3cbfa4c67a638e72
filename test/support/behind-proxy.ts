// The built server with its database behind the fault-injecting TCP proxy (needs DATABASE_URL).
import { afterEach } from 'vitest';
import { type RunningServer, startServer } from './server';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

export async function startBehindProxy(databaseUrl: string, env: Record<string, string> = {}): Promise<{ server: RunningServer; proxy: TcpProxy }> {
  const url = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  try {
    const server = await startServer({ DATABASE_URL: proxy.url(databaseUrl), ...env });
    return { server, proxy };
  } catch (error) {
    await proxy.close();
    throw error;
  }
}

/**
 * For a suite: returns start(env), which puts a built server behind a fresh fault proxy; whatever
 * was started is stopped after each test. `defaults` are the suite's env, `env` the test's.
 */
export function behindProxyEachTest(databaseUrl: string | undefined, defaults: Record<string, string> = {}) {
  let running: { server: RunningServer; proxy: TcpProxy } | undefined;
  afterEach(async () => {
    await running?.server.stop();
    await running?.proxy.close();
    running = undefined;
  });
  return async (env: Record<string, string> = {}) => (running = await startBehindProxy(databaseUrl!, { ...defaults, ...env }));
}

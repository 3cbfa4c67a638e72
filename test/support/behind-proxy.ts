// The built server with its database behind the fault-injecting TCP proxy (needs DATABASE_URL).
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

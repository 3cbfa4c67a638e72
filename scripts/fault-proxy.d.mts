export type ProxyMode =
  | { kind: 'pass' }
  | { kind: 'latency'; ms: number }
  | { kind: 'blackhole' }
  | { kind: 'reset' }
  | { kind: 'refuse' }
  /** Resets the connection at every `every`-th query (client messages after the startup one). */
  | { kind: 'flaky'; every: number };
export type TcpProxy = {
  port: number;
  url(databaseUrl: string): string;
  readonly markerCount: number;
  readonly connections: number;
  readonly openConnections: number;
  setMode(next: ProxyMode): Promise<void>;
  close(): Promise<void>;
};
export function startTcpProxy(target: { host: string; port: number }, options?: { marker?: string }): Promise<TcpProxy>;

// Types for launch-server.mjs, so the TypeScript tests share its one implementation.
import type { ChildProcess } from 'node:child_process';

export function freePort(): Promise<number>;

export type LaunchedServer = {
  child: ChildProcess;
  pid: number | undefined;
  exited: Promise<number | null>;
  output: () => string;
  waitUntilReady(url: string, options?: { timeoutMs?: number; label?: string }): Promise<void>;
  stop(options?: { graceMs?: number }): Promise<number | null>;
};

export function launchServer(options?: { env?: Record<string, string | undefined>; cwd?: string; argv?: string[]; prefix?: string[]; replaceEnv?: boolean }): LaunchedServer;

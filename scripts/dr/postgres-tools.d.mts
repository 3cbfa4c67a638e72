// Types for postgres-tools.mjs (its unit test is TypeScript).
export function postgresBin(): string;
export function run(
  tool: string,
  args: string[],
  options?: { timeoutMs?: number; env?: Record<string, string>; asPostgres?: boolean; allowFailure?: boolean },
): Promise<{ code: number | null; stdout: string; stderr: string }>;
export function libpqEnv(url: string): Record<string, string>;
export function withDatabase(url: string, database: string, options?: { host?: string; port?: number }): string;
export function handToPostgres(dir: string): void;
export function newestDropRecord(waldumpOutput: string): { lsn: string; xid: number } | null;
export function stopBeforeDrop(waldumpOutput: string, dropLsn: string): string | null;
export function walSegments(dir: string): string[];

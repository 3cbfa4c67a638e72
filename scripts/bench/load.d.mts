// Types for load.mjs, so the TypeScript tests and benches share its one implementation.
export type LoadResult = { requests: number; errors: number; rps: number; p50: number; p99: number; tool?: 'wrk' };
export function runLoad(options: { url: string; concurrency?: number; durationMs?: number; init?: RequestInit }): Promise<LoadResult>;
export function runLoadPreferWrk(options: { url: string; concurrency?: number; durationMs?: number; cpu?: number }): Promise<LoadResult>;
/** The p-th percentile (nearest rank) of `samples`; NaN when there are none. */
export function percentile(samples: number[], p: number): number;
export function runWrk(options: { url: string; concurrency?: number; durationMs?: number; cpu?: number; script?: string }): Promise<LoadResult>;
export function parseWrk(out: string): LoadResult;

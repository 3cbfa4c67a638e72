// Types for profile-summary.mjs, for its test.
export type Ranked = { name: string; ms: number; percent: number };
export function packageOf(url: string, functionName?: string): string;
export function summarizeProfile(file: string, options?: { top?: number }): { totalMs: number; packages: Ranked[]; functions: Ranked[] };

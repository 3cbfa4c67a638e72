// Types for ab-plan.mjs, for its test.
export const AB_USAGE: string;
export type AbOptions = { a: string; b: string; envA: Record<string, string>; envB: Record<string, string>; path: string; copies: number; windows: number; seconds: number; leadIn: number; warm: number; connections: number; benchBuild: boolean; perf: boolean };
export type AbWindow = { ratio: number; aaA: number; aaB: number; aMs: number; bMs: number };
export function parseEnvList(text: string, flag: string): Record<string, string>;
export function parseAbArgs(argv: string[], cwd?: string): AbOptions;
export function startOrder(copies: number): { side: 'a' | 'b'; key: string }[];
export function windowRatios(perServer: Record<string, { requests: number; cpuMs: number }>): AbWindow;
export function summarizeAb(windows: AbWindow[]): { ratio: number; aaA: number; aaB: number; spread: number; windows: number; bCheaperIn: number; windowRange: [number, number]; verdict: string };

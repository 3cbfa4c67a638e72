// Types for judge.mjs, for its test.
export type Run = { requests: number; cpuMs: number };
export type Window = { variant: string; set: string; a: Run; b: Run; x: Run; ratio: number; aa: number };
export type Goal = { goal: string; target: number; measured: number; aa: number; judged: boolean; withinNoise: boolean; setBelowFloor: boolean; met: boolean; missedBeyondSpread: boolean };
export const NOISE_LIMIT: number;
export function median(values: number[]): number;
export function perRequest(run: Run): number;
export function round3(value: number): number;
export function windowOf(variant: string, set: string, a: Run, b: Run, x: Run): Window;
export function warmGroups<T>(servers: T[], partner: T | undefined): T[][];
export function judge(input: { pairs: Window[]; controlsCpuMs: number; bareApiCpuMs: number; profiling?: boolean }): {
  byVariant: Record<string, { ratio: number; aa: number; windows: number }>;
  ratios: Record<'jobsVsBare' | 'proxyShareMs' | 'traced100' | 'traced10' | 'traced0' | 'applyVsJobs' | 'frameworkVsRaw', number>;
  goals: Goal[];
  aaValues: number[];
  spread: number;
  aaValid: boolean;
  identity: { ratio: number; spread: number; valid: boolean; setAa: number; windows: number };
  judged: boolean;
  failed: boolean;
};
export function exitCodeFor(input: { failed: boolean; report: boolean }): 0 | 1;

// Types for perf-threads.mjs, for its test.
export type PerfSample = { comm: string; pid: number; sym: string; dso: string };
export type Counts = Map<string, number>;
export const PERF_SCRIPT_FIELDS: string;
export function parsePerfSample(line: string): PerfSample | undefined;
export function threadOf(comm: string): string;
export function kindOf(sample: { sym: string; dso: string }): string;
export function categoryOf(sample: PerfSample): string;
export function countSamples(text: string, pids: number[]): Map<number, Counts>;
export function addCounts(total: Map<number, Counts>, counts: Map<number, Counts>): Map<number, Counts>;
export function microsPerRequest(byCategory: Counts, cpuMsPerRequest: number): Map<string, number>;
export function compareSides(servers: { side: 'a' | 'b'; counts: Counts; cpuMsPerRequest: number }[]): { category: string; a: number; b: number; difference: number; within: number; aServers: number[]; bServers: number[] }[];

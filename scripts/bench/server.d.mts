// Types for server.mjs's process helpers, for its test.
export function cpuTimeMs(pid: number): number | undefined;
export function threadCpuMs(pid: number, tid: number | string): number | undefined;
export function rssMiB(pid: number): number | undefined;
export function processEnvVar(pid: number, name: string): string | null | undefined;
export function moveHelperThreads(pid: number, cpu: number): number;
export function assertBuilt(benchBuild: boolean, root?: string): void;

// Types for cpu.mjs, for its test.
export type CpuSnapshot = { at: number; idleMs: number; groups: Record<string, number>; postgres: Map<string, number> };
export function cpuSnapshot(pids: Record<string, number>): CpuSnapshot;
export function coresBetween(from: CpuSnapshot, to: CpuSnapshot): { wallMs: number; cores: Record<string, number>; idleCores: number };

// Types for recovery-point.mjs (its unit test is TypeScript).
export type CanaryWrite = { seq: number; sentAt: number; ackAt: number | null };
export type Answer = { kind: string; phase?: string; status: number; id?: string | null; ackAt?: number | null; degraded?: boolean; retryAfter?: string | null; error?: string | null };

export function recoveryPoint(
  writes: CanaryWrite[],
  restored: number[],
  disasterAt: number,
): { newestAckedSeq: number | null; newestRestoredSeq: number | null; rpoSeconds: number | null; recoveryPointAt: number | null; missing: number[]; problem: string | null };
export function acknowledgedWrites(results: Answer[], before: number): { applications: string[]; jobs: string[] };
export function outageBehaviour(
  results: Answer[],
  readiness: { phase: string; status: number }[],
  phase?: string,
): { problems: string[]; answers: number; degradedReads: number; refusedWrites: number; readiness503: number; readinessProbes: number };
export function round(value: number, digits?: number): number;

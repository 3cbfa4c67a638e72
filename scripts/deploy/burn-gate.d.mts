export const TIMEOUT_MS: number;
export type FiringAlert = { labels: Record<string, string>; state: string; activeAt: string };
export function firingPageBurns(answer: unknown): FiringAlert[];
export function checkBurnGate(prometheusUrl: string, options?: { token?: string; timeoutMs?: number }): Promise<{ firing: FiringAlert[]; error?: undefined } | { error: string; firing?: undefined }>;

// Types for start.mjs's helpers, for its test.
export function parseArgs(argv: string[]): { starts: number; report: boolean };
export function logEvents(lines: { text: string; at: number }[]): Record<string, Record<string, unknown> & { seenAtMs: number }>;
export function median(values: (number | undefined)[]): number | undefined;

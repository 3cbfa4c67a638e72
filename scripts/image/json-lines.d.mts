// Types for json-lines.mjs (its unit test is TypeScript).
export function jsonLines(text: string): { lines: number; bad: string[] };

// Types for compile-cache-log.mjs (its unit test is TypeScript).
export function compileCacheOutcomes(text: string, under: string): { fromCache: number; compiled: number; rejected: number; examples: string[] };

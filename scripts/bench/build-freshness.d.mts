// Types for build-freshness.mjs, for its test.
export function newestSourceAfter(root: string, builtAtMs: number): { file: string; mtimeMs: number } | undefined;
export function assertBuildCurrent(root: string, builtFiles: string[], buildCommand: string): void;

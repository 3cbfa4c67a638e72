// Types for image-runtime.mjs.
export function readDockerfile(): string;
export function imageNodeOptions(dockerfile: string): string[];
export function imageEnv(dockerfile: string): Record<string, string>;
export function asTheImageRuns(dockerfile?: string): { nodeFlags: string[]; env: { NODE_ENV: 'production' | 'development' | 'test'; MALLOC_ARENA_MAX?: string } };
export function imageHeapMiB(dockerfile: string): number | undefined;
export function imageSemiSpaceMiB(dockerfile: string): number | undefined;

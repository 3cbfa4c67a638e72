// Types for compile-cache.mjs (its unit test is TypeScript).
export function imageHasCompileCache(dockerfile?: string): boolean;
export function fillImageCompileCache(nodeFlags: string[]): { NODE_COMPILE_CACHE: string };
export function withoutCompileCache(): { NODE_COMPILE_CACHE: string; NODE_DISABLE_COMPILE_CACHE: string };

export type RuntimePatch = { name: string; find: string; replace: string };
export const PRISMA_CLIENT_VERSION: string;
export const RUNTIME_FILES: string[];
export const PATCHES: RuntimePatch[];
export function patchSource(source: string, patches?: RuntimePatch[]): string;
export function patchInstalledRuntime(root?: string): { version: string; changed: string[] };

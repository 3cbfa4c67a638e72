// Types for destroyable.mjs (its unit test is TypeScript).
export const DESTROYABLE_MARK: string;
export function destroyRefusal(options: { database: string; exists: boolean; mark: string | null; yesDestroy: boolean }): string | null;

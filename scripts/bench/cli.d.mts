// Types for cli.mjs, for its test.
export function parseOrExplain<T>(parse: (argv: string[]) => T, argv?: string[]): T | undefined;

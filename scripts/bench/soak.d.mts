// Types for soak.mjs's helpers, for its test.
export function linearFit(points: { x: number; y: number }[]): { slope: number; sd: number; mean: number };
export function isFlat(fit: { slope: number; sd: number; mean: number }, windowLength: number): boolean;
export function shedByReason(samples: import('../metrics-text.mjs').Sample[]): Record<string, number>;

// Types for metrics-text.mjs.
export type Sample = { name: string; labels: Record<string, string>; value: number };
export function samplesOf(exposition: string): Sample[];
export function samplesNamed(samples: Sample[], names: string[]): Sample[];

import type { Spec } from './spec.mjs';
export function generatedFiles(spec: Spec, options?: { forOverride?: string }): [string, string][];

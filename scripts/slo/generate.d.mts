import type { Spec } from './spec.mjs';
export function generatedFiles(spec: Spec, options?: { forOverride?: string }): [string, string][];
export function generatedFileProblems(spec: Spec, outRoot?: string): string[];

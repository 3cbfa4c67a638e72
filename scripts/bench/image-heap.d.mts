// Types for image-heap.mjs.
export function imageNodeOptions(dockerfile: string): string[];
export function imageHeapMiB(dockerfile: string): number | undefined;
export function imageSemiSpaceMiB(dockerfile: string): number | undefined;

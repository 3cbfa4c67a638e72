// Types for image-heap.mjs.
export function imageHeapMiB(dockerfile: string): number | undefined;

// The V8 heap limit the image sets (Dockerfile `ENV NODE_OPTIONS=--max-old-space-size=N`), in MiB:
// the bench and the soak run their servers with it, and lib/lifecycle/deploy-config.test.ts ties
// the platforms' memory to it.
export function imageHeapMiB(dockerfile) {
  const match = dockerfile.match(/^ENV NODE_OPTIONS=["']?[^"'\n]*--max-old-space-size=(\d+)/m);
  return match ? Number(match[1]) : undefined;
}

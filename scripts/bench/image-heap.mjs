// The V8 flags the image sets (Dockerfile `ENV NODE_OPTIONS="…"`): the bench and the soak run their
// servers with them, and lib/lifecycle/deploy-config.test.ts ties the platforms' memory to them.

/** The flags of the image's NODE_OPTIONS, as node arguments (quoted, or a single unquoted flag). */
export function imageNodeOptions(dockerfile) {
  const match = dockerfile.match(/^ENV NODE_OPTIONS=(?:"([^"\n]*)"|'([^'\n]*)'|(\S+))/m);
  return match ? (match[1] ?? match[2] ?? match[3]).split(/\s+/).filter(Boolean) : [];
}

const flagMiB = (options, name) => {
  const flag = options.find((option) => option.startsWith(`${name}=`));
  return flag ? Number(flag.slice(name.length + 1)) : undefined;
};

/** The old generation's limit the image sets (--max-old-space-size), in MiB. */
export function imageHeapMiB(dockerfile) {
  return flagMiB(imageNodeOptions(dockerfile), '--max-old-space-size');
}

/** Each of the young generation's semi-spaces (--max-semi-space-size), in MiB: V8's young generation is three of them. */
export function imageSemiSpaceMiB(dockerfile) {
  return flagMiB(imageNodeOptions(dockerfile), '--max-semi-space-size');
}

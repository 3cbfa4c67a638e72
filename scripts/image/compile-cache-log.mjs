// Reads Node's compile-cache debug lines (NODE_DEBUG_NATIVE=COMPILE_CACHE, on stderr): for each
// module a start compiled, whether its code came from the cache. image:verify uses it to check that
// the cache the image was built with is the one its starts read.

const OUTCOME = /^\[compile cache\] V8 code cache for (?:CommonJS|ESM) (\S+) was (accepted|not initialized|rejected)/;

/**
 * Counts per outcome for the modules whose path contains `under` (file URLs included):
 * `fromCache` (accepted), `compiled` (no usable entry: absent or for other code), `rejected` (V8
 * refused the entry), and up to 5 `examples` of modules that did not come from the cache.
 */
export function compileCacheOutcomes(text, under) {
  const counts = { fromCache: 0, compiled: 0, rejected: 0, examples: [] };
  for (const line of text.split('\n')) {
    const match = OUTCOME.exec(line.trim());
    if (!match || !match[1].includes(under)) continue;
    if (match[2] === 'accepted') counts.fromCache += 1;
    else {
      counts[match[2] === 'rejected' ? 'rejected' : 'compiled'] += 1;
      if (counts.examples.length < 5) counts.examples.push(match[1]);
    }
  }
  return counts;
}

// How much of V8's heap a cached read holds, so that the last-known-good cache can be bounded in
// bytes rather than in entries: a list page is 20 KB of JSON with the seeded jobs and 520 KB with 50
// jobs of 10,000-character descriptions (what the API accepts), so 1,000 entries could be 20 MB or
// 500 MB, and the image's heap is 256 MB (docs/performance.md, "The fallback cache in bytes").

// Node's V8 has 8-byte slots (no pointer compression). Object and array headers, strings' headers
// and a slot per property or element; numbers as boxed doubles. Calibrated against the old space's
// growth with the cache full (docs/performance.md); on the high side.
const SLOT = 8;
const OBJECT_HEADER = 3 * SLOT;
const ARRAY_HEADER = 4 * SLOT + 2 * SLOT;
const STRING_HEADER = 2 * SLOT;
const NUMBER = 2 * SLOT;
const DATE = 8 * SLOT;

/**
 * Bytes a JSON-like value (plain objects, arrays, strings, numbers, booleans, null, Dates: what the
 * reads return) holds on the heap, about and on the high side: every string counted at two bytes a
 * character, as if none fitted V8's one-byte form. Shared strings and objects are counted each time
 * they are reached. Not for cyclic values.
 */
export function approximateHeapBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return STRING_HEADER + 2 * value.length;
    case 'number':
    case 'bigint':
      return NUMBER;
    case 'object': {
      if (value === null) return 0;
      if (value instanceof Date) return DATE;
      if (Array.isArray(value)) {
        let bytes = ARRAY_HEADER;
        for (const element of value) bytes += SLOT + approximateHeapBytes(element);
        return bytes;
      }
      let bytes = OBJECT_HEADER;
      for (const key in value) bytes += SLOT + approximateHeapBytes((value as Record<string, unknown>)[key]);
      return bytes;
    }
    default:
      // booleans and undefined are constants; functions and symbols are not in read results
      return 0;
  }
}

// A count kept in a plain Map and reported by an observable instrument when metrics are
// collected (a scrape or a push), for series that change on every request. A synchronous counter
// hashes its attribute set on every `add` (sorting the keys, building a string, a map lookup): in
// a profile of an unsampled list read the SDK's metric recording was the largest telemetry cost,
// ~0.06 ms of CPU per request for five records, of which these counts were three
// (docs/performance.md, "Tracing, what remains"). Here an `add` is a lookup by a key the caller
// already has; the attributes are built once per series. Exported the same way: a cumulative sum,
// monotonic or not as the instrument says.
import type { Attributes, ObservableCounter, ObservableUpDownCounter } from '@opentelemetry/api';

export type Tally = {
  /** Adds `delta` to the series `key`; `attributes` builds its attribute set the first time. */
  add(key: string, attributes: () => Attributes, delta: number): void;
};

export function tally(instrument: ObservableCounter | ObservableUpDownCounter): Tally {
  const series = new Map<string, { attributes: Attributes; value: number }>();
  instrument.addCallback((result) => {
    for (const { attributes, value } of series.values()) result.observe(value, attributes);
  });
  return {
    add(key, attributes, delta) {
      const entry = series.get(key);
      if (entry) entry.value += delta;
      else series.set(key, { attributes: attributes(), value: delta });
    },
  };
}

// How late the event loop runs, for the load shedder and the saturation metric, from a timer that
// should fire every LAG_RESOLUTION_MS: its lateness is the lag. The timer wakes an idle process on
// every tick; with two of Node's monitors at 10 ms an idle server spent 8.8-11.8 ms of CPU a second,
// 3.2-4.6 at 50 ms (docs/performance.md, item 14). At 50 ms a stall of S ms reads as a lag between
// S - 50 and S (the tick due during it runs that late), against S - 10 to S at 10 ms: immaterial
// beside the shedder's 500 ms bound.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const LAG_RESOLUTION_MS = 50;

/**
 * The 99th percentile of the lag between resets: the saturation gauge (reset at each scrape) and
 * the load shedder (every 500 ms). Node's monitor records whole intervals, so its percentiles
 * include the interval (an idle loop at 10 ms read 10.4 ms): it is taken off. Its reset also
 * forgets when the last tick ran, so a stall that begins within one interval after a reset is not
 * seen: 50 ms of each of the shedder's windows (10 ms at the old resolution). The shedder acts on a
 * loop that stays late, which every window sees; a single stall is over by the time any window
 * reads it. A timer of our own without that gap cost an idle server more: 5.9-7.7 against 3.2-4.6 ms/s.
 */
export function monitorEventLoopLag(resolutionMs = LAG_RESOLUTION_MS) {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    /** In ms; no sample since the reset reads as no lag, not as NaN. */
    p99Ms: () => (histogram.count === 0 ? 0 : Math.max(0, histogram.percentile(99) / 1e6 - resolutionMs)),
    reset: () => histogram.reset(),
  };
}

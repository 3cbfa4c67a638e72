// How late the event loop runs, for the load shedder and the saturation metric. Node's monitor
// samples with a timer every `resolution` ms and records each whole interval, so its percentiles
// include the resolution itself (an idle loop at 10 ms reads ~10.4 ms); the lag is what is left
// after it. Its timer wakes an idle process on every tick: two monitors at 10 ms cost an idle
// server ~8 ms of CPU a second, 10.4-11.9 ms/s against 2.5-3.0 without them (docs/performance.md,
// item 14). At 50 ms a stall of S ms reads as a lag between S - 50 and S (the tick due during it
// runs that late), against S - 10 to S at 10 ms: immaterial beside the shedder's 500 ms bound.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const LAG_RESOLUTION_MS = 50;

export type EventLoopLag = {
  /** The 99th percentile of the loop's lag since the last reset, in ms (the sampling interval taken off). */
  p99Ms(): number;
  reset(): void;
};

export function monitorEventLoopLag(resolutionMs = LAG_RESOLUTION_MS): EventLoopLag {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    // No sample yet (reset less than one interval ago) reads as no lag, not as NaN.
    p99Ms: () => (histogram.count === 0 ? 0 : Math.max(0, histogram.percentile(99) / 1e6 - resolutionMs)),
    reset: () => histogram.reset(),
  };
}

// Whether a fleet is back to steady after an overload: the judgement of overload:rehearse, apart
// from the rehearsal so that it is tested on latencies a CI run measured (fixtures/).
//
// What an overload can leave behind shows at the median or as failures: a backlog still queued, an
// admission limit stuck low, a breaker open, a pool short of connections, a heap that thrashes.
// The tail on this 2-core machine is something else: clusters of slow requests every few seconds,
// each a mark-compact whose helper threads share the cores with the JavaScript threads (three in
// four of the slow requests fell inside a marking cycle, against 7 % of the others), in steady state
// as after the overload. A 5 s window holds zero to three of them, so its p99 against the steady
// phase's decided on how many fell where (docs/deploying.md, "How the recovery is judged").
import { percentile } from '../bench/load.mjs';

/** The settled window's median may be at most this many times the steady phase's. */
export const MEDIAN_BOUND = 2;

/** Requests of `entries` ({ at, ms }) in each second of `count` seconds from `start` (ms). */
export function secondsFrom(entries, start, count) {
  return Array.from({ length: count }, (_, i) => entries.filter((e) => e.at >= start + i * 1000 && e.at < start + (i + 1) * 1000));
}

/** The p99 of the latencies of `entries` ({ ms }). */
export const p99Of = (entries) => percentile(entries.map((e) => e.ms), 99);

/** The p99 of `count` seconds from `start` without the second whose own p99 was the worst. */
export function p99WithoutWorstSecond(entries, start, count) {
  const seconds = secondsFrom(entries, start, count);
  const perSecond = seconds.map(p99Of);
  const worst = perSecond.reduce((w, value, i) => (value > perSecond[w] ? i : w), 0);
  return p99Of(seconds.filter((_, i) => i !== worst).flat());
}

/**
 * The verdict on the window from `settledStart` (the overload's end + the time allowed to
 * recover) for `seconds` seconds. `steady` and `settled` are the 2xx answers ({ at, ms }) of the
 * steady phase and of that window; `p99BoundMs` is the bound this run's capacity was measured by.
 * Recovered when the settled median is within MEDIAN_BOUND × the steady one and the settled p99,
 * without its worst second, is within the capacity's bound. Failures are judged by the caller.
 */
export function judgeRecovery({ steady, settled, settledStart, seconds, p99BoundMs }) {
  const steadyP50 = percentile(steady.map((e) => e.ms), 50);
  const settledP50 = percentile(settled.map((e) => e.ms), 50);
  const settledP99 = p99Of(settled);
  const settledP99Robust = p99WithoutWorstSecond(settled, settledStart, seconds);
  const misses = [];
  if (settled.length === 0) misses.push('no request was answered in the window after the overload');
  else {
    if (!(settledP50 <= MEDIAN_BOUND * steadyP50))
      misses.push(`median ${settledP50.toFixed(1)} ms is over ${MEDIAN_BOUND} × the steady phase's ${steadyP50.toFixed(1)} ms: requests still wait (a backlog, a limit stuck low, a thrashing heap)`);
    if (!(settledP99Robust <= p99BoundMs))
      misses.push(`p99 ${settledP99Robust.toFixed(0)} ms (without its worst second) is over the ${p99BoundMs} ms the capacity was measured by`);
  }
  return { steadyP50, settledP50, medianRatio: settledP50 / steadyP50, settledP99, settledP99Robust, misses };
}

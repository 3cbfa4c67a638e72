import { describe, expect, it } from 'vitest';
import { monitorEventLoopLag } from './event-loop-lag';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
/** The least of three idle windows, so that one window delayed by a busy test machine does not count. */
async function idleReading(read: () => number, reset: () => void) {
  const readings: number[] = [];
  for (let i = 0; i < 3; i++) {
    reset();
    await sleep(300);
    readings.push(read());
  }
  return Math.min(...readings);
}

describe('the event loop lag', () => {
  it('the metric reads an idle loop near zero (the sampling interval taken off) and a stall as the late tick', async () => {
    const lag = monitorEventLoopLag(50);
    expect(lag.p99Ms()).toBe(0); // no sample yet
    // Node's own reading of an idle loop is the interval plus a little (50.5 ms at 50): the lag is the little.
    expect(await idleReading(lag.p99Ms, lag.reset)).toBeLessThan(25);

    lag.reset();
    await sleep(60); // the reset forgot the last tick: one tick before the stall
    block(300);
    await sleep(120);
    // The tick due during the stall ran late by the stall less the part of its interval that had
    // passed before the stall began: 250-300 ms, plus whatever the machine adds.
    expect(lag.p99Ms()).toBeGreaterThanOrEqual(245);
    expect(lag.p99Ms()).toBeLessThan(450);
  });
});

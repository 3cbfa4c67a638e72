import { describe, expect, it } from 'vitest';
import { monitorEventLoopLag } from './event-loop-lag';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('the event loop lag', () => {
  it('reads a stall in full, without the sampling interval, and an idle loop near zero', async () => {
    const lag = monitorEventLoopLag(50);
    expect(lag.p99Ms()).toBe(0); // no sample yet
    await sleep(400);
    // Idle: Node's own reading is the interval plus a little (~50.5 ms); the lag is the little.
    expect(lag.p99Ms()).toBeLessThan(25);

    lag.reset();
    await sleep(60);
    block(300);
    await sleep(120);
    // The tick due during the stall ran late by the stall less the part of its interval that had
    // passed before the stall began: 250-300 ms.
    expect(lag.p99Ms()).toBeGreaterThanOrEqual(245);
    expect(lag.p99Ms()).toBeLessThan(300 + 50 + 100);
  });
});

import { describe, expect, it } from 'vitest';
import { logEvents, median, parseArgs } from './start.mjs';

describe('bench:start helpers', () => {
  it('reads its options and refuses what it cannot use', () => {
    expect(parseArgs([])).toEqual({ starts: 5, report: false, compileCache: true });
    expect(parseArgs(['--starts', '3', '--report'])).toEqual({ starts: 3, report: true, compileCache: true });
    expect(parseArgs(['--starts=7', '--no-compile-cache'])).toEqual({ starts: 7, report: false, compileCache: false });
    expect(() => parseArgs(['--report=yes'])).toThrow(/--report takes no value/);
    expect(() => parseArgs(['--starts', '0'])).toThrow(/whole number from 1 to 50/);
    expect(() => parseArgs(['--starts', 'two'])).toThrow(/whole number/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
  });

  it("takes the first of each event from the server's JSON lines, with when it was read, and skips other output", () => {
    const events = logEvents([
      { text: 'not json', at: 5 },
      { text: '{"event":"server_listening","duration_ms":640}', at: 1500 },
      { text: '{"event":"warm_up_completed","duration_ms":2900,"rounds":12,"round_ms":[650,208]}', at: 4400 },
      { text: '{"event":"server_listening","duration_ms":1}', at: 9000 },
      { text: '{"msg":"no event"}', at: 9100 },
    ]);
    expect(Object.keys(events)).toEqual(['server_listening', 'warm_up_completed']);
    expect(events.server_listening).toMatchObject({ duration_ms: 640, seenAtMs: 1500 });
    expect(events.warm_up_completed).toMatchObject({ rounds: 12, seenAtMs: 4400 });
  });

  it('takes the lower middle of an even count and ignores missing values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([undefined, 7])).toBe(7);
    expect(median([])).toBeUndefined();
  });
});

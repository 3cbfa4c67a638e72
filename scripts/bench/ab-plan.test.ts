import { describe, expect, it } from 'vitest';
import { parseAbArgs, parseEnvList, startOrder, summarizeAb, windowRatios } from './ab-plan.mjs';

describe('bench:ab options', () => {
  it('compares this checkout with --b by default, 2 copies a side, 12 windows', () => {
    expect(parseAbArgs(['--b', '/tmp/base'], '/repo')).toMatchObject({ a: '/repo', b: '/tmp/base', copies: 2, windows: 12, seconds: 6, leadIn: 2, warm: 20, path: '/api/jobs?limit=20', benchBuild: false, perf: false });
  });

  it('reads environments per side, inline values included', () => {
    const options = parseAbArgs(['--b=/x', '--env-a', 'OTEL_TRACES_SAMPLER_ARG=0', '--env-b=OTEL_TRACES_SAMPLER_ARG=1,OTEL_BSP_SCHEDULE_DELAY=5000', '--windows=8', '--bench-build']);
    expect(options.envA).toEqual({ OTEL_TRACES_SAMPLER_ARG: '0' });
    expect(options.envB).toEqual({ OTEL_TRACES_SAMPLER_ARG: '1', OTEL_BSP_SCHEDULE_DELAY: '5000' });
    expect(options).toMatchObject({ windows: 8, benchBuild: true });
    expect(parseEnvList('URL=http://h/?a=b', '--env-a')).toEqual({ URL: 'http://h/?a=b' });
    expect(parseAbArgs(['--b=/x', '--perf']).perf).toBe(true);
  });

  it('resolves the checkouts, so that `--b .` is this checkout', () => {
    expect(parseAbArgs(['--b', '.', '--env-b', 'X=1'], '/repo')).toMatchObject({ a: '/repo', b: '/repo' });
    expect(parseAbArgs(['--a', 'x', '--b', '../y'], '/repo/sub')).toMatchObject({ a: '/repo/sub/x', b: '/repo/y' });
    expect(() => parseAbArgs(['--b', '.'], '/repo')).toThrow(/an A\/A/);
  });

  it('refuses what it cannot run, saying why', () => {
    expect(() => parseAbArgs([])).toThrow(/--b is required/);
    expect(() => parseAbArgs(['--b', '/x', '--copies', '3'])).toThrow(/--copies must be even/);
    expect(() => parseAbArgs(['--b', '/x', '--windows', '0'])).toThrow(/whole number ≥ 1/);
    expect(() => parseAbArgs(['--b', '/x', '--warm', '-1'])).toThrow(/whole number ≥ 0/);
    expect(() => parseAbArgs(['--b', '/x', '--path', 'api/jobs'])).toThrow(/must start with \//);
    expect(() => parseAbArgs(['--b', '/x', '--env-a', 'NOVALUE'])).toThrow(/NAME=value/);
    expect(() => parseAbArgs(['--b', '/x', '--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseAbArgs(['--b', '/repo'], '/repo')).toThrow(/an A\/A/);
    expect(() => parseAbArgs(['--b'])).toThrow(/--b needs a value/);
  });
});

describe('bench:ab order and arithmetic', () => {
  it('starts A B B A, so that neither side starts first more often', () => {
    expect(startOrder(2).map((s) => s.key)).toEqual(['a1', 'b1', 'b2', 'a2']);
    expect(startOrder(4).map((s) => s.key)).toEqual(['a1', 'b1', 'b2', 'a2', 'a3', 'b3', 'b4', 'a4']);
    const mean = (side: string) => {
      const positions = startOrder(4).flatMap((s, i) => (s.side === side ? [i] : []));
      return positions.reduce((x, y) => x + y, 0) / positions.length;
    };
    expect(mean('a')).toBe(mean('b'));
  });

  it('takes B over A from each side’s mean CPU per request, and each side’s last copy over its first', () => {
    const w = windowRatios({ a1: { requests: 100, cpuMs: 200 }, b1: { requests: 100, cpuMs: 230 }, b2: { requests: 100, cpuMs: 210 }, a2: { requests: 50, cpuMs: 110 } });
    expect(w.aMs).toBeCloseTo(2.1, 10);
    expect(w.bMs).toBeCloseTo(2.2, 10);
    expect(w.ratio).toBeCloseTo(2.2 / 2.1, 10);
    expect(w.aaA).toBeCloseTo(1.1, 10);
    expect(w.aaB).toBeCloseTo(2.1 / 2.3, 10);
  });

  it('takes first and last copies in start order past nine copies (a10 after a9, not after a1)', () => {
    const perServer: Record<string, { requests: number; cpuMs: number }> = {};
    for (let i = 1; i <= 10; i++) {
      perServer[`a${i}`] = { requests: 100, cpuMs: i === 10 ? 300 : 200 };
      perServer[`b${i}`] = { requests: 100, cpuMs: 200 };
    }
    expect(windowRatios(perServer).aaA).toBeCloseTo(1.5, 10);
  });

  it('calls a difference inside the A/A spread none, and a run with an A/A past ±5 % noise', () => {
    const win = (ratio: number, aaA = 1.01, aaB = 0.99) => ({ ratio, aaA, aaB, aMs: 2, bMs: 2 * ratio });
    expect(summarizeAb([win(0.9), win(0.92), win(1.3)])).toMatchObject({ ratio: 0.92, bCheaperIn: 2, verdict: 'B cheaper' });
    expect(summarizeAb([win(1.08), win(1.1), win(1.09)]).verdict).toBe('B dearer');
    expect(summarizeAb([win(1.005), win(0.995), win(1.0)]).verdict).toBe('no difference beyond the A/A spread');
    expect(summarizeAb([win(0.8, 1.07), win(0.8, 1.07), win(0.8, 1.07)]).verdict).toBe('noise: an A/A outside ±5 %');
    expect(summarizeAb([win(0.9), win(1.2)]).windowRange).toEqual([0.9, 1.2]);
  });
});

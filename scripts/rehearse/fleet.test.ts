import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asTheImageRuns } from '../bench/image-runtime.mjs';
// @ts-expect-error -- a plain .mjs script without types
import { checkTimingFromFlyToml, diagnosticNodeFlags, parseServerStats } from './fleet.mjs';

const flyToml = readFileSync(path.resolve(import.meta.dirname, '../../fly.toml'), 'utf8');
const variant = (edit: (text: string) => string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'fly-')), 'fly.toml');
  writeFileSync(file, edit(flyToml));
  return file;
};

describe("the rehearsals' HAProxy checks come from fly.toml", () => {
  it('uses the readiness check interval and timeout as declared, and a pre-stop long enough for the balancer to notice', () => {
    const timing = checkTimingFromFlyToml();
    expect(timing).toMatchObject({ intervalMs: 5_000, timeoutMs: 2_000, appBudgetMs: 1_000, hardLimit: 100 });
    expect(timing.timeoutMs / timing.intervalMs).toBe(0.4);
    expect(timing.prestopMs).toBeGreaterThanOrEqual(timing.fall * timing.intervalMs + timing.timeoutMs);
  });

  it('follows a changed fly.toml', () => {
    const file = variant((text) => text.replace('interval = "5s"\n    timeout = "2s"', 'interval = "10s"\n    timeout = "3s"'));
    expect(checkTimingFromFlyToml(file)).toMatchObject({ intervalMs: 10_000, timeoutMs: 3_000 });
  });

  it('refuses a check timeout stricter than the app needs to answer readiness', () => {
    const file = variant((text) => text.replace('READINESS_DB_TIMEOUT_MS = "1000"', 'READINESS_DB_TIMEOUT_MS = "2500"'));
    expect(() => checkTimingFromFlyToml(file)).toThrow(/stricter than the app's readiness budget/);
  });
});

describe("the rehearsals' instances run with the image's V8 flags", () => {
  const dockerfile = readFileSync(path.resolve(import.meta.dirname, '../../Dockerfile'), 'utf8');

  it("starts from the Dockerfile's NODE_OPTIONS, so the heap is sized as in production", () => {
    const flags = asTheImageRuns(dockerfile).nodeFlags;
    expect(flags.some((flag: string) => flag.startsWith('--max-old-space-size='))).toBe(true);
    expect(flags.some((flag: string) => flag.startsWith('--max-semi-space-size='))).toBe(true);
  });

  it('adds the flags REHEARSE_NODE_FLAGS asks for, split on whitespace', () => {
    expect(diagnosticNodeFlags(' --trace-gc  --trace-gc-nvp ')).toEqual(['--trace-gc', '--trace-gc-nvp']);
    expect(diagnosticNodeFlags(undefined)).toEqual([]);
  });
});

describe("HAProxy's view of the instances (its stats CSV)", () => {
  // Captured from HAProxy 2.6 (Debian 12) 0.3 s after start, two servers on closed ports checked
  // every 5 s: blue1 checked (DOWN, L4CON), blue2 not yet (shown as UP, check_status INI).
  const csv = readFileSync(path.resolve(import.meta.dirname, 'fixtures/haproxy-2.6-stats-before-first-check.csv'), 'utf8');

  it('marks a server HAProxy has not checked yet, which it shows as UP', () => {
    const servers = parseServerStats(csv, { blue1: 1, blue2: 2 });
    expect(servers.blue1).toMatchObject({ status: 'DOWN', checked: true });
    expect(servers.blue2).toMatchObject({ status: 'UP 1/2', checked: false });
  });

  it('reads only the servers of the fleet', () => {
    expect(Object.keys(parseServerStats(csv, { blue2: 2 }))).toEqual(['blue2']);
  });
});

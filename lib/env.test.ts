import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('has working defaults for a bare machine: port 3000, embedded DB, a generated secret kept under DATA_DIR', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
    const env = parseEnv({ DATA_DIR: dir });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SEED_ON_FIRST_START).toBe(true);
    expect(env.BETTER_AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, 'auth-secret'), 'utf8').trim()).toBe(env.BETTER_AUTH_SECRET);
    expect(parseEnv({ DATA_DIR: dir }).BETTER_AUTH_SECRET).toBe(env.BETTER_AUTH_SECRET);
  });

  it('requires the secret and public URL in production, naming each missing variable', () => {
    expect(() => parseEnv({ APP_ENV: 'production' })).toThrowError(/BETTER_AUTH_SECRET[\s\S]*APP_URL/);
  });

  it('explains invalid values per variable', () => {
    expect(() => parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrowError(/PORT:[\s\S]*DATABASE_URL: must be a postgres/);
  });

  it('validates the rate-limit policies at start-up, one line per bad value, so no instance starts that would fail its first request', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
    expect(parseEnv({ DATA_DIR: dir }).RATE_LIMIT_API).toBe('300/1m');
    expect(parseEnv({ DATA_DIR: dir, RATE_LIMIT_API: '50 / 10s' }).RATE_LIMIT_API).toBe('50 / 10s');
    expect(() => parseEnv({ DATA_DIR: dir, RATE_LIMIT_API: 'lots', RATE_LIMIT_APPLY: '0/1h' })).toThrowError(
      /RATE_LIMIT_APPLY: the limit and the window must be positive\n {2}RATE_LIMIT_API: expected N\/<number><s\|m\|h\|d>, got "lots"/,
    );
  });

  it('does not seed a real Postgres unless asked', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
    expect(parseEnv({ DATA_DIR: dir, DATABASE_URL: 'postgres://u@127.0.0.1/db' }).SEED_ON_FIRST_START).toBe(false);
    expect(parseEnv({ DATA_DIR: dir, DATABASE_URL: 'postgres://u@127.0.0.1/db', SEED_ON_FIRST_START: 'true' }).SEED_ON_FIRST_START).toBe(true);
  });

  it('validates the standard OTEL_* variables the SDK will read, so a typo stops start-up instead of being ignored', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
    const env = parseEnv({ DATA_DIR: dir, OTEL_TRACES_EXPORTER: 'otlp, console', OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_SAMPLER_ARG: '0.1' });
    expect(env.OTEL_TRACES_EXPORTER).toEqual(['otlp', 'console']);
    expect(env.OTEL_SDK_DISABLED).toBe(true);
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBe(0.1);
    expect(parseEnv({ DATA_DIR: dir }).OTEL_SERVICE_NAME).toBe('jobboard');
    const bad = {
      OTEL_TRACES_EXPORTER: 'otlp,jaeger',
      OTEL_TRACES_SAMPLER: 'parentbased_ratio',
      OTEL_TRACES_SAMPLER_ARG: '10',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http',
      OTEL_SDK_DISABLED: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
    };
    const message = (() => {
      try {
        parseEnv({ DATA_DIR: dir, ...bad });
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of Object.keys(bad)) expect(message).toMatch(new RegExp(`^  ${name}(\\.\\d+)?: `, 'm'));
  });
});

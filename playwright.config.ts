import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// Playwright's own browser download is not possible everywhere: prefer a system Chromium
// (CHROMIUM_PATH, or Debian's /usr/bin/chromium) and fall back to `npx playwright install chromium`.
// PLAYWRIGHT_CHROMIUM=bundled uses Playwright's own (GitHub's runners, where /usr/bin/chromium-browser is a snap stub).
const systemChromium =
  process.env.PLAYWRIGHT_CHROMIUM === 'bundled'
    ? undefined
    : [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => file && existsSync(file));
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
const otlpPort = Number(process.env.E2E_OTLP_PORT ?? 3219);

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: systemChromium,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'] } },
    { name: 'phone', use: { ...devices['Pixel 7'] }, testMatch: /layout\.spec\.ts/ },
  ],
  webServer: [
    {
      // Receives the traces of the app and of the pages (tracing.spec.ts reads them back).
      command: 'node e2e/support/otlp-receiver.mjs',
      url: `http://127.0.0.1:${otlpPort}/health`,
      reuseExistingServer: false,
      env: { E2E_OTLP_PORT: String(otlpPort) },
    },
    {
    command: 'node dist/server.js',
    url: `${baseURL}/api/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      APP_URL: baseURL,
      APP_ENV: 'test',
      PRESTOP_DELAY_MS: '0',
      NEXT_TELEMETRY_DISABLED: '1',
      // Every test user signs up from 127.0.0.1: room for them (rate limits are tested in test/ratelimit.test.ts).
      RATE_LIMIT_SIGN_UP: '10000/1h',
      RATE_LIMIT_API: '10000/1m',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // A fresh embedded database per run unless DATABASE_URL points at a Postgres.
      DATA_DIR: process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'jobboard-e2e-')),
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, SEED_ON_FIRST_START: 'true' } : {}),
    },
    },
  ],
});

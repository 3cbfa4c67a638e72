// One environment schema, validated once at start-up. Every setting the app reads is here and
// in the README's configuration table. The standard OTEL_* variables the app relies on are
// validated here too, so a typo stops start-up instead of being ignored; OpenTelemetry's own SDK
// then reads them as the specification defines (lib/telemetry/start.ts, docs/observability.md).
// Kept free of `server-only` because the Node entry points
// (server.ts, scripts/) import it too; nothing in it may reach the browser.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_POLICY_SPECS, type PolicyName, policySpecProblem } from './rate-limit-policies';

const booleanFromString = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** OpenTelemetry's booleans: `true` or `false`, any case (anything else the SDK reads as false, with a warning). */
const otelBoolean = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(['true', 'false']))
  .transform((value) => value === 'true');

/** A comma-separated OpenTelemetry list (`OTEL_TRACES_EXPORTER=otlp,console`) of known values. */
const otelList = <T extends string>(allowed: readonly T[]) =>
  z
    .string()
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(z.enum(allowed as unknown as [T, ...T[]]), { error: `a comma-separated list of ${allowed.join(', ')}` }));

const otlpProtocol = z.enum(['http/protobuf', 'http/json', 'grpc']);
const otlpEndpoint = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** `N/<number><s|m|h|d>`, checked here so a bad value stops start-up, not the first request. */
const rateLimitPolicy = (name: PolicyName) =>
  z
    .string()
    .default(DEFAULT_POLICY_SPECS[name])
    .superRefine((spec, ctx) => {
      const problem = policySpecProblem(spec);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const envSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().min(1).default('0.0.0.0'),
  APP_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  // Resilience (docs/resilience.md): every database call goes through these policies.
  DB_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3_000),
  DB_BREAKER_THRESHOLD: z.coerce.number().min(0.05).max(1).default(0.5),
  DB_BREAKER_MIN_CALLS: z.coerce.number().int().min(1).max(10_000).default(10),
  DB_BREAKER_WINDOW_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  DB_BREAKER_HALF_OPEN_AFTER_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  DB_BULKHEAD_QUEUE: z.coerce.number().int().min(0).max(10_000).default(20),
  DB_READ_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  DB_RETRY_BASE_MS: z.coerce.number().int().min(1).max(10_000).default(50),
  REQUEST_DEADLINE_MS: z.coerce.number().int().min(100).max(120_000).default(8_000),
  FALLBACK_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(1_000),
  // Heap the last-known-good copies may hold, in MiB (counted on the high side: lib/resilience/heap-size.ts).
  FALLBACK_CACHE_MAX_MB: z.coerce.number().int().min(1).max(4_096).default(32),
  LOAD_SHED_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(75),
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  LOAD_SHED_MAX_CONCURRENT: z.coerce.number().int().min(1).max(10_000).default(16),
  LOAD_SHED_MIN_CONCURRENT: z.coerce.number().int().min(1).max(10_000).default(4),
  LOAD_SHED_QUEUE_TARGET_MS: z.coerce.number().int().min(1).max(60_000).default(250),
  LOAD_SHED_QUEUE_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  // Off: while the breaker is open, degraded reads go through Next like everything else (the parity test compares both).
  BREAKER_FAST_PATH: booleanFromString.default(true),
  LOAD_SHED_MAX_QUEUE_WAIT_MS: z.coerce.number().int().min(1).max(120_000).default(4_000),
  SEED_ON_FIRST_START: booleanFromString.optional(),
  BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_REQUIRE_EMAIL_VERIFICATION: booleanFromString.default(false),
  // How long a signed-out (revoked) session may still read: the session cookie cache's lifetime. 0 turns the cache off.
  SESSION_COOKIE_CACHE_S: z.coerce.number().int().min(0).max(3_600).default(60),
  PRESTOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  READINESS_DB_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(1_000),
  READINESS_CACHE_MS: z.coerce.number().int().min(0).max(10_000).default(1_000),
  WARM_UP_MAX_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  // Rate limiting (docs/rate-limiting.md): RATE_LIMIT_<POLICY>=N/<duration>.
  RATE_LIMIT_APPLY: rateLimitPolicy('apply'),
  RATE_LIMIT_SIGN_IN: rateLimitPolicy('sign-in'),
  RATE_LIMIT_SIGN_UP: rateLimitPolicy('sign-up'),
  RATE_LIMIT_POST_JOB: rateLimitPolicy('post-job'),
  RATE_LIMIT_API: rateLimitPolicy('api'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  UPSTASH_REDIS_REST_URL: z.url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  RATE_LIMIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(500).default(300),
  RATE_LIMIT_PREFIX: z.string().min(1).default('jobboard:rl'),
  READINESS_REQUIRE_REDIS: booleanFromString.default(true),
  CLIENT_IP_HEADER: z.string().min(1).optional(),
  TRUSTED_PROXIES: z.string().default(''),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // OpenTelemetry (docs/observability.md). Read by the SDK; validated here.
  OTEL_SDK_DISABLED: otelBoolean.default(false),
  OTEL_SERVICE_NAME: z.string().min(1).default('jobboard'),
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
  OTEL_TRACES_EXPORTER: otelList(['otlp', 'console', 'none']).optional(),
  OTEL_METRICS_EXPORTER: otelList(['otlp', 'console', 'prometheus', 'none']).optional(),
  OTEL_LOGS_EXPORTER: otelList(['none']).optional(),
  OTEL_PROPAGATORS: otelList(['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger', 'none']).optional(),
  OTEL_TRACES_SAMPLER: z.enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio']).optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpEndpoint.optional(),
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: otlpEndpoint.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol.optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol.optional(),
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: otlpProtocol.optional(),
  OTEL_EXPORTER_OTLP_TIMEOUT: z.coerce.number().int().min(1).max(120_000).optional(),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: z.coerce.number().int().min(1).max(120_000).optional(),
  // The span queue; ours where the specification's (2048 / 512) are unset: past its size new spans are dropped.
  OTEL_BSP_MAX_QUEUE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(4_096),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(1_024),
  // The specification's 5 s: every export has a fixed cost on the event loop (~5 ms here), and at
  // 250 ms it made a 100 %-sampled list read 7–13 % dearer at 46–135 req/s (docs/performance.md, item 20).
  // A full batch (OTEL_BSP_MAX_EXPORT_BATCH_SIZE) goes at once; SIGTERM flushes what waits.
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(0).max(600_000).default(5_000),
  OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  OTEL_METRIC_EXPORT_TIMEOUT: z.coerce.number().int().min(100).max(600_000).default(30_000),
  // Ours: the browser tracer, on when traces are exported over OTLP.
  OTEL_BROWSER_TRACING: booleanFromString.default(true),
});

export type Env = z.infer<typeof envSchema> & {
  APP_URL: string;
  BETTER_AUTH_SECRET: string;
  SEED_ON_FIRST_START: boolean;
};

/** Formats zod issues as one readable line per variable. */
export function describeEnvErrors(error: z.ZodError): string {
  return error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`).join('\n');
}

function developmentSecret(dataDir: string): string {
  const file = path.resolve(dataDir, 'auth-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret + '\n', { mode: 0o600 });
    return secret;
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment configuration:\n${describeEnvErrors(parsed.error)}`);
  }
  const env = parsed.data;
  const production = env.APP_ENV === 'production';
  const missing: string[] = [];
  if (production && !env.BETTER_AUTH_SECRET) missing.push('  BETTER_AUTH_SECRET: required when APP_ENV=production');
  if (production && !env.APP_URL) missing.push('  APP_URL: required when APP_ENV=production (the public https URL)');
  if (missing.length) throw new Error(`Invalid environment configuration:\n${missing.join('\n')}`);
  return {
    ...env,
    APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET ?? developmentSecret(env.DATA_DIR),
    // The embedded database seeds itself on its first start; a real Postgres only when asked.
    SEED_ON_FIRST_START: env.SEED_ON_FIRST_START ?? !env.DATABASE_URL,
  };
}

let cached: Env | undefined;

/** The validated environment; throws once, with every problem listed, if it is invalid. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

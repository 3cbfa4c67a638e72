#!/usr/bin/env node
// `npm run golive -- <url> [options]`: the SRE go-live checklist, run against a service.
// docs/golive.md explains every item, why it matters and how to fix a FAIL.
//   <url>                    check a running deployment (items 1-6)
//   --start "<command>"      start the service on a free PORT instead, and also check 7-9
//   --database-url URL       the database the started service uses; the verifier's fault proxy sits in between
//   --repo DIR               also check DIR's deploy configuration, alerting and DR drill (10-12); alone, only those
// Exit 0 approved, 1 blocked, 2 bad usage, an unreachable URL, or a service that would not start.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startOtlpReceiver } from './otlp-json-receiver.mjs';
import { request } from './golive/http.mjs';
import { checkCircuitBreaker, checkGracefulShutdown, checkReadinessFollowsDependencies, startService } from './golive/start-checks.mjs';
import { checkLiveness, checkRateLimiting, checkReadiness, checkSecurityHeaders, checkSmoke, checkTracing, DEFAULT_HEALTH_PATHS, DEFAULT_READY_PATHS } from './golive/url-checks.mjs';
import { skip } from './golive/verdict.mjs';

const USAGE = `usage: npm run golive -- <url> [options]
       npm run golive -- --start "<command>" [--database-url <url>] [options]
       npm run golive -- --repo <dir>
options:
  --repo DIR                 also check DIR: fly.toml / k8s, SLO alerts + runbooks, the latest DR drill
  --json                     print the report as JSON
  --health-path P            liveness path, repeatable (default ${DEFAULT_HEALTH_PATHS.join(', ')}, first answering wins)
  --ready-path P             readiness path, repeatable (default ${DEFAULT_READY_PATHS.join(', ')})
  --smoke-path P             a page or read users need, repeatable (default /, /api/jobs)
  --api-path P               an API read for the rate-limit and security-header checks (default /api/jobs)
  --read-path P              a read that queries the database, for --start (default /api/jobs)
  --slow-path P              without --database-url: a path slow enough to be in flight at SIGTERM
  --rate-limit-probe P       URL mode: send requests to P until a 429 and check Retry-After (runs last)
  --otlp-port N              receive OTLP/HTTP JSON spans on N and check the server span's parent
  --shutdown-deadline-s N    SIGTERM to exit 0 (default 30)
  --breaker-settle-s N       how long the database stays hung for the breaker to trip (default 45)
  --ready-timeout-s N        start to readiness 200 (default 60)
  --dr-report FILE           the drill result (default <repo>/.data/dr/last-drill.json)
  --dr-max-age-days N        (default 7)
  --skip ID[,ID]             report these items SKIP without running them (ids in docs/golive.md)`;

function usage(message) {
  console.error(`golive: ${message}\n${USAGE}`);
  process.exit(2);
}

/** Nothing to judge (unreachable, would not start): exit 2 with the reason alone. */
function cannotCheck(message) {
  console.error(`golive: ${message}`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        'health-path': { type: 'string', multiple: true },
        'ready-path': { type: 'string', multiple: true },
        'smoke-path': { type: 'string', multiple: true },
        'api-path': { type: 'string', default: '/api/jobs' },
        'read-path': { type: 'string', default: '/api/jobs' },
        'slow-path': { type: 'string' },
        'rate-limit-probe': { type: 'string' },
        'otlp-port': { type: 'string' },
        'shutdown-deadline-s': { type: 'string', default: '30' },
        'breaker-settle-s': { type: 'string', default: '45' },
        'ready-timeout-s': { type: 'string', default: '60' },
        start: { type: 'string' },
        'database-url': { type: 'string' },
        repo: { type: 'string' },
        'dr-report': { type: 'string' },
        'dr-max-age-days': { type: 'string', default: '7' },
        skip: { type: 'string', multiple: true },
      },
    });
  } catch (error) {
    return usage(error.message);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const ITEMS = [
  ['tracing', 'Distributed tracing'],
  ['liveness', 'Liveness'],
  ['readiness', 'Readiness'],
  ['rate-limiting', 'Rate limiting'],
  ['security-headers', 'Security headers'],
  ['smoke', 'Smoke'],
  ['graceful-shutdown', 'Graceful shutdown'],
  ['circuit-breaker', 'Circuit breaker on DB'],
  ['readiness-follows-deps', 'Readiness follows deps'],
  ['deploy-config', 'Deploy configuration'],
  ['alerting', 'Alerting'],
  ['disaster-recovery', 'Disaster recovery'],
];
const number = (name, value, min) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) usage(`--${name} must be a number ≥ ${min}, got ${value}`);
  return parsed;
};
const skipped = new Set((values.skip ?? []).flatMap((list) => list.split(',')).map((id) => id.trim()).filter(Boolean));
for (const id of skipped) if (!ITEMS.some(([known]) => known === id)) usage(`--skip ${id}: no such item (${ITEMS.map(([known]) => known).join(', ')})`);
const url = positionals[0];
if (positionals.length > 1) usage(`one URL at a time, got ${positionals.join(' ')}`);
if (url && values.start) usage('give a URL or --start, not both');
if (!url && !values.start && !values.repo) usage('give the service URL (e.g. https://jobboard.fly.dev), --start "<command>", or --repo <dir>');
if (url && !/^https?:\/\/[^/]/.test(url)) usage(`${url} is not an http(s) URL`);
if (values.repo && !existsSync(values.repo)) usage(`--repo ${values.repo}: no such directory`);
if (values['database-url'] && !values.start) usage('--database-url only makes sense with --start');
// The probe spends the caller's whole budget: every later request of the run would get 429.
if (values['rate-limit-probe'] && values.start) usage('--rate-limit-probe works in URL mode only: with --start, the checks after it would all be answered 429');
if (values['database-url'] && !URL.canParse(values['database-url'])) usage(`--database-url is not a URL: ${values['database-url']}`);
// Every number is checked before anything starts, so a bad one never leaves a started service behind.
const readyTimeoutMs = number('ready-timeout-s', values['ready-timeout-s'], 1) * 1000;
const shutdownDeadlineMs = number('shutdown-deadline-s', values['shutdown-deadline-s'], 1) * 1000;
const breakerSettleMs = number('breaker-settle-s', values['breaker-settle-s'], 1) * 1000;
const drMaxAgeDays = number('dr-max-age-days', values['dr-max-age-days'], 0);
const healthPaths = values['health-path'] ?? DEFAULT_HEALTH_PATHS;
const readyPaths = values['ready-path'] ?? DEFAULT_READY_PATHS;
const otlpPort = values['otlp-port'] === undefined ? undefined : number('otlp-port', values['otlp-port'], 0);
const progress = (message) => process.stderr.write(`golive: ${message}\n`);

let otlp;
if (otlpPort !== undefined) {
  try {
    otlp = await startOtlpReceiver({ port: otlpPort });
  } catch (error) {
    cannotCheck(`cannot listen for OTLP on 127.0.0.1:${otlpPort}: ${error.code ?? error.message}`);
  }
}
let service;
const stopAll = async () => {
  await service?.stop();
  await otlp?.close();
};
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void stopAll().finally(() => process.exit(130)));
// Whatever ends this process, the service it started does not outlive it.
process.once('exit', () => {
  if (service?.running()) service.child.kill('SIGKILL');
});

if (values.start) {
  try {
    service = await startService(values.start, {
      databaseUrl: values['database-url'],
      healthPaths,
      readyPaths,
      readyTimeoutMs,
      env: otlp ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlp.port}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } : {},
      log: progress,
    });
  } catch (error) {
    await otlp?.close();
    cannotCheck(`--start "${values.start}": ${error.message}`);
  }
}
const base = service?.base ?? url;
if (base) {
  try {
    await request(base, '/', { timeoutMs: 10_000 });
  } catch (error) {
    await stopAll();
    cannotCheck(`${base} is unreachable: ${error.cause?.code ?? error.cause?.message ?? error.message}`);
  }
}

const paths = { healthPaths, readyPaths };
// Loaded only with --repo (it needs the TOML and YAML parsers): URL mode runs without `npm ci`, as in deploy.yml.
const repoChecks = values.repo ? await import('./golive/repo-checks.mjs') : null;
const checks = {
  tracing: base && (() => checkTracing(base, { otlp })),
  liveness: base && (() => checkLiveness(base, { paths: healthPaths, readyPaths })),
  readiness: base && (() => checkReadiness(base, { paths: readyPaths, healthPaths, notReadyBecause: service?.notReadyBecause })),
  'rate-limiting': base && (() => checkRateLimiting(base, { path: values['api-path'], probePath: values['rate-limit-probe'] })),
  'security-headers': base && (() => checkSecurityHeaders(base, { jsonPath: values['api-path'] })),
  smoke: base && (() => checkSmoke(base, { paths: values['smoke-path'] ?? ['/', values['api-path']] })),
  'readiness-follows-deps': service && (() => checkReadinessFollowsDependencies(service)),
  'circuit-breaker': service && (() => checkCircuitBreaker(service, { readPath: values['read-path'], settleMs: breakerSettleMs })),
  // Last of the service checks: it stops the service.
  'graceful-shutdown':
    service &&
    (() =>
      checkGracefulShutdown(service, {
        slowPath: values['slow-path'] ?? values['read-path'],
        dbDelayMs: values['slow-path'] ? 0 : 800,
        deadlineMs: shutdownDeadlineMs,
      })),
  'deploy-config': repoChecks && (async () => repoChecks.checkDeployConfig(values.repo, paths)),
  alerting: repoChecks && (async () => repoChecks.checkAlerting(values.repo)),
  'disaster-recovery': repoChecks && (async () => repoChecks.checkDisasterRecovery(values.repo, { reportPath: values['dr-report'], maxAgeDays: drMaxAgeDays })),
};
// The rate-limit probe exhausts the budget, so it goes after the other URL checks.
const runOrder = ['tracing', 'liveness', 'readiness', 'security-headers', 'smoke', 'rate-limiting', 'readiness-follows-deps', 'circuit-breaker', 'graceful-shutdown', 'deploy-config', 'alerting', 'disaster-recovery'];
const results = new Map();
for (const id of runOrder) {
  const run = checks[id];
  if (!run) continue;
  const name = ITEMS.find(([known]) => known === id)[1];
  if (skipped.has(id)) {
    results.set(id, skip('skipped by --skip'));
    continue;
  }
  progress(`${name}…`);
  const started = Date.now();
  const result = await run().catch((error) => ({ status: 'FAIL', evidence: `the check itself failed: ${error.message}` }));
  results.set(id, { ...result, seconds: Math.round((Date.now() - started) / 100) / 10 });
}
await stopAll();

const items = ITEMS.filter(([id]) => results.has(id)).map(([id, name]) => ({ id, item: name, ...results.get(id) }));
const passing = items.filter((item) => item.status === 'PASS').length;
const skippedItems = items.filter((item) => item.status === 'SKIP');
const approved = items.every((item) => item.status !== 'FAIL');
const target = values.start ? `${values.start} (started on ${base})` : (url ?? values.repo);
if (values.json) {
  console.log(JSON.stringify({ target, url: base ?? null, repo: values.repo ?? null, status: approved ? 'APPROVED' : 'BLOCKED', passing, total: items.length, items }, null, 2));
} else {
  console.log(`GO-LIVE CHECK: ${target}${values.repo && base ? ` + repository ${values.repo}` : ''}`);
  for (const item of items) console.log(`[${item.status === 'PASS' ? 'x' : ' '}] ${item.status}: ${item.item.padEnd(23)} ${item.evidence}`);
  console.log(`${passing}/${items.length} passing${skippedItems.length ? ` (SKIP: ${skippedItems.map((item) => item.item).join(', ')})` : ''}`);
  console.log(`STATUS: ${approved ? 'APPROVED' : 'BLOCKED — SRE go-live checklist failed'}`);
}
process.exit(approved ? 0 : 1);

#!/usr/bin/env node
// `npm run golive -- <url> [options]`: the SRE go-live checklist against a running service.
// WORK IN PROGRESS (issue 14): no fixtures or tests yet; not in CI or deploy.yml yet.
//   --start "<command>"    start the service (free PORT) and also check shutdown, breaker, readiness
//   --database-url URL     the Postgres the started service uses, behind the verifier's fault proxy
//   --repo DIR             also check deploy configuration and alerting in DIR
//   --json                 machine-readable report
//   --health-path P        liveness path (repeatable; default /healthz, /health, /api/healthz)
//   --ready-path P         readiness path (repeatable; default /readyz, /ready, /api/readyz)
//   --rate-limit-probe P   send requests to P until a 429, and check Retry-After
// Exit 0 approved, 1 blocked, 2 bad usage or unreachable URL.
import { parseArgs } from 'node:util';
import { checkAlerting, checkDeployConfig } from './golive/repo-checks.mjs';
import { checkCircuitBreaker, checkGracefulShutdown, checkReadinessFollowsDependencies, startService } from './golive/start-checks.mjs';
import { request } from './golive/http.mjs';
import { checkLiveness, checkRateLimiting, checkReadiness, checkSecurityHeaders, checkSmoke, checkTracing, DEFAULT_HEALTH_PATHS, DEFAULT_READY_PATHS } from './golive/url-checks.mjs';

function usage(message) {
  console.error(`golive: ${message}\nusage: npm run golive -- <url> [--json] [--health-path P] [--ready-path P] [--rate-limit-probe P]`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        'health-path': { type: 'string', multiple: true },
        'ready-path': { type: 'string', multiple: true },
        'rate-limit-probe': { type: 'string' },
        start: { type: 'string' },
        'database-url': { type: 'string' },
        repo: { type: 'string' },
        'read-path': { type: 'string', default: '/api/jobs' },
      },
    });
  } catch (error) {
    return usage(error.message);
  }
})();
const healthPaths = values['health-path'] ?? DEFAULT_HEALTH_PATHS;
const readyPaths = values['ready-path'] ?? DEFAULT_READY_PATHS;
let service;
if (values.start) {
  try {
    service = await startService(values.start, { databaseUrl: values['database-url'], healthPath: healthPaths.at(-1), readyPath: readyPaths.at(-1) });
  } catch (error) {
    usage(error.message);
  }
}
const base = service?.base ?? positionals[0];
if (!base || !/^https?:\/\/[^/]/.test(base)) usage('give the service URL, e.g. https://jobboard.fly.dev, or --start "<command>"');
try {
  await request(base, '/', { timeoutMs: 10_000 });
} catch (error) {
  usage(`${base} is unreachable: ${error.cause?.code ?? error.message}`);
}

const items = [
  ['Distributed tracing', () => checkTracing(base)],
  ['Liveness', () => checkLiveness(base, { paths: healthPaths, readyPaths })],
  ['Readiness', () => checkReadiness(base, { paths: readyPaths, healthPaths })],
  ['Rate limiting', () => checkRateLimiting(base, { probePath: values['rate-limit-probe'] })],
  ['Security headers', () => checkSecurityHeaders(base)],
  ['Smoke', () => checkSmoke(base)],
  ...(service
    ? [
        ['Readiness follows deps', () => checkReadinessFollowsDependencies(service, { readyPath: readyPaths.at(-1) })],
        ['Circuit breaker on DB', () => checkCircuitBreaker(service, { readPath: values['read-path'], healthPath: healthPaths.at(-1) })],
        // Last: it stops the service.
        ['Graceful shutdown', () => checkGracefulShutdown(service, { slowPath: values['read-path'], healthPath: healthPaths.at(-1), readyPath: readyPaths.at(-1), dbDelayMs: 800 })],
      ]
    : []),
  ...(values.repo ? [['Deploy configuration', async () => checkDeployConfig(values.repo)], ['Alerting', async () => checkAlerting(values.repo)]] : []),
];
const results = [];
for (const [name, run] of items) {
  const result = await run().catch((error) => ({ status: 'FAIL', evidence: `the check itself failed: ${error.message}` }));
  results.push({ item: name, ...result });
}
await service?.stop();
const passing = results.filter((result) => result.status === 'PASS').length;
const approved = results.every((result) => result.status !== 'FAIL');
if (values.json) {
  console.log(JSON.stringify({ url: base, status: approved ? 'APPROVED' : 'BLOCKED', passing, total: results.length, items: results }, null, 2));
} else {
  console.log(`GO-LIVE CHECK: ${base}`);
  for (const result of results) console.log(`[${result.status === 'PASS' ? 'x' : ' '}] ${result.status.padEnd(4)}: ${result.item.padEnd(20)} ${result.evidence}`);
  console.log(`${passing}/${results.length} passing${results.some((r) => r.status === 'SKIP') ? ` (${results.filter((r) => r.status === 'SKIP').map((r) => r.item).join(', ')} skipped)` : ''}`);
  console.log(`STATUS: ${approved ? 'APPROVED' : 'BLOCKED — SRE go-live checklist failed'}`);
}
process.exit(approved ? 0 : 1);

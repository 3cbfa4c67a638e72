// The checklist items read from a repository (`--repo <dir>`): deploy configuration (fly.toml,
// Kubernetes manifests), alerting (SLO rules tested with promtool, a runbook per alert) and the
// latest disaster-recovery drill.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parseAllDocuments } from 'yaml';

import { DEFAULT_HEALTH_PATHS, DEFAULT_READY_PATHS } from './url-checks.mjs';
import { fail, pass, skip } from './verdict.mjs';
const MARGIN_S = 2;

/** Seconds the app needs after SIGTERM: its pre-stop delay plus its drain timeout, from an env map. */
function drainSeconds(env = {}) {
  const prestop = Number(env.PRESTOP_DELAY_MS ?? 0) / 1000;
  const drain = Number(env.SHUTDOWN_TIMEOUT_MS ?? 0) / 1000;
  return { prestop, drain, total: prestop + drain };
}

function checkFly(file, readyPaths) {
  const problems = [];
  const config = parseToml(readFileSync(file, 'utf8'));
  if (config.kill_signal !== 'SIGTERM') problems.push(`kill_signal is ${config.kill_signal ?? 'unset (Fly sends SIGINT)'}, not SIGTERM`);
  const { prestop, drain, total } = drainSeconds(config.env);
  const killTimeout = Number(config.kill_timeout ?? 5);
  if (killTimeout < total + MARGIN_S) problems.push(`kill_timeout ${killTimeout} s does not cover the pre-stop delay (${prestop} s) + drain (${drain} s) + ${MARGIN_S} s margin`);
  const checks = [...(config.http_service?.checks ?? []), ...(config.services ?? []).flatMap((service) => service.http_checks ?? [])];
  if (!checks.length) problems.push('no HTTP health check on the service: Fly routes to machines that cannot serve');
  for (const check of checks) if (!readyPaths.includes(check.path)) problems.push(`the service's health check polls ${check.path}, not the readiness path (${readyPaths.join(' or ')})`);
  return { problems, summary: `fly.toml: SIGTERM, kill_timeout ${killTimeout} s ≥ ${total} s + ${MARGIN_S} s, checks on ${checks.map((check) => check.path).join(', ')}` };
}

function checkKubernetes(dir, readyPaths, healthPaths) {
  const problems = [];
  const documents = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .flatMap((name) => parseAllDocuments(readFileSync(path.join(dir, name), 'utf8')).map((doc) => doc.toJS()))
    .filter(Boolean);
  const deployments = documents.filter((doc) => ['Deployment', 'StatefulSet'].includes(doc.kind));
  if (!deployments.length) return { problems, summary: 'no Deployment' };
  for (const deployment of deployments) {
    const pod = deployment.spec?.template?.spec ?? {};
    for (const container of pod.containers ?? []) {
      const env = Object.fromEntries((container.env ?? []).map((entry) => [entry.name, entry.value]));
      const readiness = container.readinessProbe?.httpGet?.path;
      const liveness = container.livenessProbe?.httpGet?.path;
      if (!readiness) problems.push(`${deployment.metadata?.name}/${container.name}: no HTTP readinessProbe`);
      if (!liveness) problems.push(`${deployment.metadata?.name}/${container.name}: no HTTP livenessProbe`);
      if (readiness && liveness && readiness === liveness) problems.push(`${deployment.metadata?.name}/${container.name}: liveness and readiness probe the same path (${readiness})`);
      if (readiness && !readyPaths.includes(readiness)) problems.push(`${deployment.metadata?.name}/${container.name}: readinessProbe on ${readiness}, not the readiness path`);
      if (liveness && !healthPaths.includes(liveness)) problems.push(`${deployment.metadata?.name}/${container.name}: livenessProbe on ${liveness}, not the liveness path`);
      const grace = Number(pod.terminationGracePeriodSeconds ?? 30);
      const { total } = drainSeconds(env);
      if (grace < total + MARGIN_S) problems.push(`${deployment.metadata?.name}: terminationGracePeriodSeconds ${grace} does not cover pre-stop + drain (${total} s) + ${MARGIN_S} s`);
    }
  }
  if (!documents.some((doc) => doc.kind === 'PodDisruptionBudget')) problems.push('no PodDisruptionBudget: a node drain may evict every replica at once');
  return { problems, summary: `${deployments.length} workload(s) with distinct probes, grace covering the drain, a PodDisruptionBudget` };
}

export function checkDeployConfig(repo, { readyPaths = DEFAULT_READY_PATHS, healthPaths = DEFAULT_HEALTH_PATHS } = {}) {
  const fly = path.join(repo, 'fly.toml');
  const k8s = path.join(repo, 'k8s');
  if (!existsSync(fly) && !existsSync(k8s)) return skip('no fly.toml and no k8s/ directory');
  const parts = [];
  const problems = [];
  if (existsSync(fly)) {
    const result = checkFly(fly, readyPaths);
    problems.push(...result.problems);
    parts.push(result.summary);
  }
  if (existsSync(k8s)) {
    const result = checkKubernetes(k8s, readyPaths, healthPaths);
    problems.push(...result.problems);
    parts.push(`k8s: ${result.summary}`);
  }
  return problems.length ? fail(problems.join('; ')) : pass(parts.join('; '));
}

/** SLO burn-rate rules exist, pass promtool's own unit tests, and every alert has a runbook. */
export function checkAlerting(repo) {
  const rulesDir = path.join(repo, 'ops/prometheus');
  if (!existsSync(rulesDir)) return fail('no alerting rules (ops/prometheus)');
  const ruleFiles = readdirSync(rulesDir).filter((name) => name.endsWith('.rules.yml'));
  const rules = ruleFiles.flatMap((name) => parseAllDocuments(readFileSync(path.join(rulesDir, name), 'utf8'))[0].toJS().groups.flatMap((group) => group.rules));
  const alerts = rules.filter((rule) => rule.alert);
  if (!alerts.some((rule) => /BudgetBurn|burn/i.test(rule.alert))) return fail(`${alerts.length} alerts, none on an SLO burn rate`);
  const testDir = path.join(rulesDir, 'tests');
  const tests = existsSync(testDir) ? readdirSync(testDir).filter((name) => name.endsWith('.test.yml')) : [];
  if (!tests.length) return fail('burn-rate rules without promtool tests (ops/prometheus/tests)');
  const run = spawnSync('promtool', ['test', 'rules', ...tests], { cwd: testDir, encoding: 'utf8', timeout: 600_000 });
  if (run.error) return skip(`promtool not installed (${run.error.code}): apt-get install prometheus`);
  if (run.status !== 0) return fail(`promtool test rules failed: ${(run.stdout + run.stderr).split('\n').find((line) => line.includes('FAILED')) ?? run.status}`);
  const names = [...new Set(alerts.map((rule) => rule.alert))];
  const missing = names.filter((name) => !existsSync(path.join(repo, 'docs/runbooks', `${name}.md`)));
  if (missing.length) return fail(`no runbook for ${missing.join(', ')}`);
  return pass(`${names.length} alerts (${alerts.length} rules), ${tests.length} promtool test files pass, a runbook each`);
}

/**
 * The latest disaster-recovery drill (`npm run dr:rehearse` writes it): younger than `maxAgeDays`,
 * every check PASS, every method within its RPO and RTO targets. Report shape (docs/golive.md):
 * { finishedAt, methods: [{ method, rpoSeconds, rtoSeconds, targets: { rpoSeconds?, rtoSeconds }, checks: [{ name, status }] }] }
 */
export function checkDisasterRecovery(repo, { reportPath, maxAgeDays = 7, now = Date.now() } = {}) {
  const file = reportPath ?? path.join(repo, '.data/dr/last-drill.json');
  if (!existsSync(file)) {
    const scripts = existsSync(path.join(repo, 'package.json')) ? (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).scripts ?? {}) : {};
    if (!reportPath && !scripts['dr:rehearse']) return skip('no disaster-recovery drill in this repository yet (no dr:rehearse script, no .data/dr/last-drill.json)');
    return fail(`no drill result at ${file}: run the drill (npm run dr:rehearse), or pass --dr-report`);
  }
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`${file} is not JSON: ${error.message}`);
  }
  const finished = Date.parse(report.finishedAt);
  if (!Number.isFinite(finished)) return fail(`${file} has no finishedAt timestamp`);
  const ageDays = (now - finished) / 86_400_000;
  const methods = Array.isArray(report.methods) ? report.methods : [];
  const problems = [];
  if (ageDays > maxAgeDays) problems.push(`the last drill is ${ageDays.toFixed(1)} days old (limit ${maxAgeDays})`);
  if (!methods.length) problems.push('the report lists no restore method');
  for (const method of methods) {
    const failed = (method.checks ?? []).filter((check) => check.status !== 'PASS');
    if (failed.length) problems.push(`${method.method}: ${failed.map((check) => check.name).join(', ')} failed`);
    if (method.targets?.rpoSeconds !== undefined && !(method.rpoSeconds <= method.targets.rpoSeconds)) problems.push(`${method.method}: RPO ${method.rpoSeconds} s above ${method.targets.rpoSeconds} s`);
    if (method.targets?.rtoSeconds !== undefined && !(method.rtoSeconds <= method.targets.rtoSeconds)) problems.push(`${method.method}: RTO ${method.rtoSeconds} s above ${method.targets.rtoSeconds} s`);
  }
  if (problems.length) return fail(problems.join('; '));
  const summary = methods.map((method) => `${method.method} RPO ${method.rpoSeconds} s, RTO ${method.rtoSeconds} s`).join('; ');
  return pass(`drill ${ageDays.toFixed(1)} days old: ${summary}, all checks PASS`);
}

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDeployConfig, checkDisasterRecovery } from './repo-checks.mjs';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();
const pitr = { method: 'pitr', rpoSeconds: 1.2, rtoSeconds: 21, targets: { rpoSeconds: 5, rtoSeconds: 60 }, checks: [{ name: 'row counts', status: 'PASS' }] };

function repoWith(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'golive-repo-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
const drill = (report: unknown, scripts: Record<string, string> = { 'dr:rehearse': 'x' }) =>
  repoWith({ '.data/dr/last-drill.json': JSON.stringify(report), 'package.json': JSON.stringify({ scripts }) });

describe('the disaster-recovery item', () => {
  it('is SKIP where the repository has no drill at all, and FAIL where it has one but no result', () => {
    expect(checkDisasterRecovery(repoWith({ 'package.json': '{}' }), { now: NOW }).status).toBe('SKIP');
    expect(checkDisasterRecovery(repoWith({ 'package.json': JSON.stringify({ scripts: { 'dr:rehearse': 'x' } }) }), { now: NOW })).toMatchObject({ status: 'FAIL', evidence: expect.stringContaining('npm run dr:rehearse') });
  });

  it('passes a recent drill within its targets, with the numbers', () => {
    expect(checkDisasterRecovery(drill({ finishedAt: daysAgo(2), methods: [pitr] }), { now: NOW })).toEqual({ status: 'PASS', evidence: 'drill 2.0 days old: pitr RPO 1.2 s, RTO 21 s, all checks PASS' });
  });

  it('fails a stale drill, a failed check, and a missed RPO or RTO, naming each', () => {
    expect(checkDisasterRecovery(drill({ finishedAt: daysAgo(9), methods: [pitr] }), { now: NOW }).evidence).toBe('the last drill is 9.0 days old (limit 7)');
    const failed = { ...pitr, checks: [{ name: 'canaries present', status: 'FAIL' }] };
    expect(checkDisasterRecovery(drill({ finishedAt: daysAgo(1), methods: [failed] }), { now: NOW }).evidence).toBe('pitr: canaries present failed');
    const slow = { ...pitr, rpoSeconds: 8, rtoSeconds: 75 };
    expect(checkDisasterRecovery(drill({ finishedAt: daysAgo(1), methods: [slow] }), { now: NOW }).evidence).toBe('pitr: RPO 8 s above 5 s; pitr: RTO 75 s above 60 s');
    expect(checkDisasterRecovery(drill({ finishedAt: 'yesterday', methods: [pitr] }), { now: NOW }).status).toBe('FAIL');
  });
});

describe('the deploy configuration item', () => {
  const fly = (body: string) => `app = "x"\n${body}\n[env]\n  PRESTOP_DELAY_MS = "5000"\n  SHUTDOWN_TIMEOUT_MS = "20000"\n[http_service]\n  [[http_service.checks]]\n    path = "/api/readyz"\n`;

  it('passes SIGTERM with a kill_timeout covering pre-stop + drain + margin, and checks on readiness', () => {
    expect(checkDeployConfig(repoWith({ 'fly.toml': fly('kill_signal = "SIGTERM"\nkill_timeout = 27') })).status).toBe('PASS');
  });

  it('names a missing SIGTERM, a short kill_timeout and a liveness health check', () => {
    const verdict = checkDeployConfig(repoWith({ 'fly.toml': fly('kill_timeout = 26').replace('/api/readyz', '/api/healthz') }));
    expect(verdict.status).toBe('FAIL');
    expect(verdict.evidence).toContain('kill_signal is unset (Fly sends SIGINT), not SIGTERM');
    expect(verdict.evidence).toContain('kill_timeout 26 s does not cover the pre-stop delay (5 s) + drain (20 s) + 2 s margin');
    expect(verdict.evidence).toContain("the service's health check polls /api/healthz, not the readiness path");
  });

  it('judges Kubernetes manifests: distinct probes, grace period, a PodDisruptionBudget', () => {
    const deployment = (readiness: string, grace: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      terminationGracePeriodSeconds: ${grace}
      containers:
        - name: app
          env: [{ name: PRESTOP_DELAY_MS, value: "5000" }, { name: SHUTDOWN_TIMEOUT_MS, value: "20000" }]
          readinessProbe: { httpGet: { path: ${readiness} } }
          livenessProbe: { httpGet: { path: /api/healthz } }
`;
    const pdb = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: web }\n';
    expect(checkDeployConfig(repoWith({ 'k8s/app.yaml': `${deployment('/api/readyz', 30)}---\n${pdb}` })).status).toBe('PASS');
    const bad = checkDeployConfig(repoWith({ 'k8s/app.yaml': deployment('/api/healthz', 20) })).evidence;
    expect(bad).toContain('liveness and readiness probe the same path (/api/healthz)');
    expect(bad).toContain('terminationGracePeriodSeconds 20 does not cover pre-stop + drain (25 s) + 2 s');
    expect(bad).toContain('no PodDisruptionBudget');
  });
});

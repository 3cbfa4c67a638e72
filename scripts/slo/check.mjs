#!/usr/bin/env node
// `npm run slo:check` (CI): the generated files match the spec; promtool accepts the rules and
// passes every unit test; every alert has a complete runbook that its runbook_url reaches; the
// dashboard is well formed. Needs promtool (Debian's `prometheus` package).
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { generatedFileProblems } from './generate.mjs';
import { alertsOfRuleFiles, runbookProblems } from './runbooks.mjs';
import { dashboardProblems } from './dashboard-check.mjs';
import { loadSpec } from './spec.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OPS = path.join(ROOT, 'ops');
const started = Date.now();
const failures = [];
const step = (label) => console.log(`\n▶ [${((Date.now() - started) / 1000).toFixed(1)} s] ${label}`);
const fail = (line) => {
  failures.push(line);
  console.error(`  ✗ ${line}`);
};

if (spawnSync('promtool', ['--version']).error) {
  console.error('slo:check needs promtool, from the `prometheus` package: apt-get install prometheus');
  process.exit(2);
}
const spec = loadSpec();

step('generated files match ops/slo/jobboard.slo.yaml');
const stale = generatedFileProblems(spec, OPS);
for (const problem of stale) fail(`${problem}: run \`npm run slo:generate\` and commit`);
if (!stale.length) console.log('  ✓ all generated files are current');

const ruleFiles = readdirSync(path.join(OPS, 'prometheus')).filter((name) => name.endsWith('.rules.yml')).sort();
step(`promtool check rules (${ruleFiles.length} files)`);
const checked = spawnSync('promtool', ['check', 'rules', ...ruleFiles], { cwd: path.join(OPS, 'prometheus'), encoding: 'utf8' });
if (checked.status !== 0) fail(`promtool check rules:\n${checked.stdout}${checked.stderr}`);
else console.log(`  ✓ ${checked.stdout.match(/SUCCESS: \d+ rules found/g)?.length ?? 0} files, ${checked.stdout.match(/SUCCESS: (\d+)/g)?.reduce((sum, line) => sum + Number(line.split(' ')[1]), 0)} rules`);

const testFiles = readdirSync(path.join(OPS, 'prometheus/tests')).filter((name) => name.endsWith('.test.yml')).sort();
step(`promtool test rules (${testFiles.length} files, two at a time)`);
const runTest = (file) =>
  new Promise((resolve) => {
    const fileStarted = Date.now();
    const child = spawn('promtool', ['test', 'rules', file], { cwd: path.join(OPS, 'prometheus/tests') });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      const cases = parse(readFileSync(path.join(OPS, 'prometheus/tests', file), 'utf8')).tests.length;
      if (code === 0) console.log(`  ✓ ${file}: ${cases} cases in ${((Date.now() - fileStarted) / 1000).toFixed(1)} s`);
      else fail(`${file}:\n${output}`);
      resolve();
    });
  });
const queue = [...testFiles];
await Promise.all([0, 1].map(async () => {
  while (queue.length) await runTest(queue.shift());
}));

step('runbooks: one per alert, with every section, reached by its runbook_url');
const alerts = alertsOfRuleFiles(ruleFiles.map((file) => parse(readFileSync(path.join(OPS, 'prometheus', file), 'utf8'))));
const problems = runbookProblems({ alerts, runbookBase: spec.links.runbook_base, runbookDir: path.join(ROOT, 'docs/runbooks') });
for (const problem of problems) fail(problem);
if (!problems.length) console.log(`  ✓ ${new Set(alerts.map((entry) => entry.alert)).size} alerts (${alerts.length} rules), each with a complete runbook`);

step('dashboard: well formed');
const board = JSON.parse(readFileSync(path.join(OPS, 'grafana/jobboard-slo.json'), 'utf8'));
const boardProblems = dashboardProblems(board);
for (const problem of boardProblems) fail(problem);
if (!boardProblems.length) console.log(`  ✓ ${board.panels.filter((panel) => panel.type !== 'row').length} panels`);

console.log(`\n${failures.length ? `✗ ${failures.length} problem(s)` : '✓ SLO rules, tests, runbooks and dashboard check out'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failures.length ? 1 : 0);

// `node scripts/dr/report-summary.mjs REPORT [--max-age-days N]`: the drill report as a Markdown
// table (the workflow appends it to the run's summary) and the verdict golive gives it, with the
// same rules (scripts/golive/repo-checks.mjs). A failed verdict is printed as a GitHub `::error::`
// annotation and exits 1.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkDisasterRecovery } from '../golive/repo-checks.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'max-age-days': { type: 'string', default: '8' } } });
const file = path.resolve(positionals[0] ?? '.data/dr/last-drill.json');
const maxAgeDays = Number(values['max-age-days']);

const verdict = checkDisasterRecovery(path.dirname(file), { reportPath: file, maxAgeDays });
const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { methods: [] };
const lines = ['| method | RPO | RTO | target RTO | checks |', '|---|---|---|---|---|'];
for (const m of report.methods ?? []) {
  const failed = (m.checks ?? []).filter((c) => c.status !== 'PASS');
  lines.push(`| ${m.method} | ${m.rpoSeconds ?? '-'} s | ${m.rtoSeconds ?? '-'} s | ${m.targets?.rtoSeconds ?? '-'} s | ${failed.length ? `FAIL: ${failed.map((c) => c.name).join(', ')}` : `${m.checks?.length ?? 0} PASS`} |`);
}
lines.push('', `**${verdict.status}**: ${verdict.evidence}`);
console.log(lines.join('\n'));
if (verdict.status !== 'PASS') {
  console.log(`::error title=Disaster-recovery drill::${verdict.evidence}`);
  process.exit(1);
}

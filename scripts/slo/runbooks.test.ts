import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertNames } from './rules.mjs';
import { alertsOfRuleFiles, RUNBOOK_SECTIONS, runbookProblems } from './runbooks.mjs';
import { loadSpec } from './spec.mjs';
import { serviceAlertsFile, sloRuleFiles } from './rules.mjs';

const BASE = 'https://example.test/docs/runbooks/';
const complete = RUNBOOK_SECTIONS.map((section) => `## ${section}\ntext\n`).join('\n');

function dirWith(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbooks-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('runbook check', () => {
  it('passes a complete runbook, and names each missing section, missing file and bad fragment', () => {
    const runbookDir = dirWith({ 'Good.md': `# Good\n${complete}`, 'Thin.md': '# Thin\n## Meaning\n## Impact\n' });
    expect(runbookProblems({ alerts: [{ alert: 'Good', runbookUrl: `${BASE}Good.md` }], runbookBase: BASE, runbookDir })).toEqual([]);
    expect(
      runbookProblems({
        alerts: [
          { alert: 'Thin', runbookUrl: `${BASE}Thin.md` },
          { alert: 'Gone', runbookUrl: `${BASE}Gone.md` },
          { alert: 'Anchored', runbookUrl: `${BASE}Good.md#nowhere` },
          { alert: 'Elsewhere', runbookUrl: 'https://other.test/Good.md' },
          { alert: 'Bare', runbookUrl: undefined },
        ],
        runbookBase: BASE,
        runbookDir,
      }),
    ).toEqual([
      'Thin: docs/runbooks/Thin.md has no "Diagnosis" section',
      'Thin: docs/runbooks/Thin.md has no "Mitigation" section',
      'Thin: docs/runbooks/Thin.md has no "Escalation" section',
      'Gone: runbook_url points nowhere (no docs/runbooks/Gone.md)',
      'Anchored: runbook_url fragment #nowhere matches no heading in docs/runbooks/Good.md',
      'Elsewhere: runbook_url https://other.test/Good.md is outside https://example.test/docs/runbooks/',
      'Bare: no runbook_url annotation',
    ]);
  });

  it('finds every alert of the generated rules, one per name the spec defines', () => {
    const spec = loadSpec();
    const alerts = alertsOfRuleFiles([...sloRuleFiles(spec), serviceAlertsFile(spec)].map((file) => file.content));
    expect(new Set(alerts.map((entry) => entry.alert))).toEqual(new Set(alertNames(spec)));
    expect(alerts.length).toBe(spec.journeys.length * 2 * spec.burn_alerts.length + spec.alerts.length);
  });
});

// Every alert has a runbook with the sections an on-call engineer needs, and every runbook_url
// in the generated rules names a file (and heading, if it has a #fragment) that exists.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const RUNBOOK_SECTIONS = ['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Escalation'];
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');

/** Problems found, one line each (empty when all is well). */
export function runbookProblems({ alerts, runbookBase, runbookDir }) {
  const problems = [];
  for (const { alert, runbookUrl } of alerts) {
    if (!runbookUrl) {
      problems.push(`${alert}: no runbook_url annotation`);
      continue;
    }
    if (!runbookUrl.startsWith(runbookBase)) {
      problems.push(`${alert}: runbook_url ${runbookUrl} is outside ${runbookBase}`);
      continue;
    }
    const [file, fragment] = runbookUrl.slice(runbookBase.length).split('#');
    const filePath = path.join(runbookDir, file);
    if (!existsSync(filePath)) {
      problems.push(`${alert}: runbook_url points nowhere (no docs/runbooks/${file})`);
      continue;
    }
    const headings = readFileSync(filePath, 'utf8')
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => line.replace(/^#+ /, '').trim());
    if (fragment && !headings.some((heading) => slug(heading) === fragment)) problems.push(`${alert}: runbook_url fragment #${fragment} matches no heading in docs/runbooks/${file}`);
    for (const section of RUNBOOK_SECTIONS) {
      if (!headings.some((heading) => heading === section || heading.startsWith(`${section} `) || heading.startsWith(`${section}:`))) {
        problems.push(`${alert}: docs/runbooks/${file} has no "${section}" section`);
      }
    }
  }
  return problems;
}

/** [{ alert, runbookUrl }] of every alerting rule in the given rule-file contents. */
export function alertsOfRuleFiles(contents) {
  return contents.flatMap((content) => content.groups.flatMap((group) => group.rules.filter((rule) => rule.alert).map((rule) => ({ alert: rule.alert, runbookUrl: rule.annotations?.runbook_url }))));
}

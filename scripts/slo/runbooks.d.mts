import type { RuleFile } from './rules.mjs';
export type AlertLink = { alert: string; runbookUrl: string | undefined };
export const RUNBOOK_SECTIONS: string[];
export function runbookProblems(options: { alerts: AlertLink[]; runbookBase: string; runbookDir: string }): string[];
export function alertsOfRuleFiles(contents: RuleFile['content'][]): AlertLink[];

export type Verdict = { status: 'PASS' | 'FAIL' | 'SKIP'; evidence: string };
export function checkDeployConfig(repo: string, paths?: { readyPaths?: string[]; healthPaths?: string[] }): Verdict;
export function checkAlerting(repo: string): Verdict;
export function checkDisasterRecovery(repo: string, options?: { reportPath?: string; maxAgeDays?: number; now?: number }): Verdict;

// Expand/contract guard (docs/deploying.md): a migration that drops, renames or changes the type
// of something fails CI unless it carries a reviewed marker line:
//   -- reviewed-destructive: <why this is safe now, e.g. "column unused since release 42">
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const DESTRUCTIVE = [/\bDROP\s+(TABLE|COLUMN|INDEX|TYPE|SCHEMA|CONSTRAINT|VIEW)\b/i, /\bRENAME\b/i, /\bALTER\s+(TABLE\s+\S+\s+)?ALTER\s+(COLUMN\s+)?\S+\s+(SET\s+DATA\s+)?TYPE\b/i, /\bTRUNCATE\b/i];
const MARKER = /^--\s*reviewed-destructive:\s*\S.+$/m;

export function findUnreviewedDestructive(dir) {
  const problems = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = path.join(dir, entry.name, 'migration.sql');
    const sql = readFileSync(file, 'utf8');
    if (MARKER.test(sql)) continue;
    const code = sql.replace(/--.*$/gm, '');
    for (const pattern of DESTRUCTIVE) {
      const match = code.match(pattern);
      if (match) problems.push({ migration: entry.name, statement: match[0] });
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'prisma/migrations';
  const problems = findUnreviewedDestructive(dir);
  for (const problem of problems) console.error(`✗ ${problem.migration}: "${problem.statement}" is destructive; split it (expand/contract) or add "-- reviewed-destructive: <reason>".`);
  if (problems.length) process.exit(1);
  console.log(`✓ no unreviewed destructive statements in ${dir}`);
}

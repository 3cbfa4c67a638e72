import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { lintWorkflows } from './lint-workflows.mjs';

type Problem = { file: string; line: number; column: number; message: string; kind: string };
const root = path.resolve(import.meta.dirname, '..');

async function lintText(text: string): Promise<Problem[]> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'workflow-')), 'deploy.yml');
  writeFileSync(file, text);
  return lintWorkflows([file]);
}

const CHECKOUT = 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8';

describe('lint:workflows', () => {
  it("passes the repository's own workflows", async () => {
    const dir = path.join(root, '.github/workflows');
    const files = readdirSync(dir).map((name) => path.join(dir, name));
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(await lintWorkflows(files)).toEqual([]);
  });

  it('passes a minimal compliant deploy workflow', async () => {
    const problems = await lintText(`name: ok
on: push
permissions:
  contents: read
concurrency:
  group: deploy
  cancel-in-progress: false
jobs:
  deploy:
    runs-on: ubuntu-24.04
    steps:
      - uses: ${CHECKOUT} # v5.0.0
      - run: flyctl deploy
        env:
          FLY_API_TOKEN: \${{ secrets.FLY_API_TOKEN }}
`);
    expect(problems).toEqual([]);
  });

  it('reports each policy breach and actionlint finding with its line', async () => {
    const problems = await lintText(`name: bad
on: push
jobs:
  deploy:
    runs-on: ubuntu-24.04
    needs: build
    steps:
      - uses: actions/checkout@v5
      - uses: ${CHECKOUT}
      - run: FLY_API_TOKEN=\${{ secrets.FLY_API_TOKEN }} flyctl deploy
      - run: echo \${{ github.no_such_property }}
`);
    const byKind = (kind: string) => problems.filter((problem) => problem.kind === kind);
    expect(byKind('policy-permissions')).toHaveLength(1);
    expect(byKind('policy-concurrency')).toHaveLength(1);
    expect(byKind('policy-pinning').map((problem) => problem.line)).toEqual([8, 9]);
    expect(byKind('policy-pinning')[1]!.message).toContain('version in a comment');
    expect(byKind('policy-secrets').map((problem) => problem.line)).toEqual([10]);
    expect(byKind('job-needs')).toHaveLength(1); // actionlint: "build" does not exist
    expect(byKind('expression').map((problem) => problem.line)).toEqual([11]);
  });

  it('rejects write-all and a deploy group that cancels in progress', async () => {
    const problems = await lintText(`on: push
permissions: write-all
concurrency:
  group: deploy
  cancel-in-progress: true
jobs:
  deploy:
    runs-on: ubuntu-24.04
    steps:
      - run: flyctl deploy
`);
    expect(problems.map((problem) => problem.kind).sort()).toEqual(['policy-concurrency', 'policy-permissions']);
  });
});

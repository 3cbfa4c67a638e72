// The server runs with the config `next build` resolved, wherever it starts
// (lib/lifecycle/built-next-config.ts). Before, it loaded next.config.ts at start: the image ships
// none, so it ran Next's defaults there (pages sent `X-Powered-By: Next.js` despite
// `poweredByHeader: false`), and where the file exists it loaded Next's native compiler to read it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './support/server';

const root = path.resolve(import.meta.dirname, '..');

/** What the image's runtime stage copies from the build stage: the sources of its `COPY --from=build` lines, relative to /app. */
function imageContents(): string[] {
  const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const sources = [...dockerfile.matchAll(/^COPY --from=build\b(.*)$/gm)].flatMap(([, args]) => args!.trim().split(/\s+/).filter((arg) => arg.startsWith('/app/')).map((arg) => arg.slice('/app/'.length)));
  if (!sources.includes('.next')) throw new Error(`the Dockerfile's runtime stage copies no .next (found: ${sources.join(', ') || 'nothing'}): this layout would not be the image's`);
  return sources;
}

/** A directory holding what the image holds (symlinks into this checkout), and no next.config.ts. */
function imageLayout(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'image-layout-'));
  for (const entry of imageContents()) {
    if (!existsSync(path.join(root, entry))) continue; // public/ is made by the image's build stage
    mkdirSync(path.dirname(path.join(dir, entry)), { recursive: true });
    symlinkSync(path.join(root, entry), path.join(dir, entry));
  }
  return dir;
}

/** Whether a process has Next's native compiler (next-swc) mapped. */
const loadsCompiler = (pid: number) => readFileSync(`/proc/${pid}/maps`, 'utf8').includes('next-swc');

describe('the build config at run time', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('holds where no next.config.ts ships, as in the image: pages carry no X-Powered-By', async () => {
    const dir = imageLayout();
    expect(existsSync(path.join(dir, 'next.config.ts'))).toBe(false);
    const server = await startServer({ WARM_UP_MAX_MS: '0' }, { cwd: dir });
    servers.push(server);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('x-powered-by')).toBeNull();
  });

  it('where next.config.ts exists, the server does not load a compiler to read it', async () => {
    expect(existsSync(path.join(root, 'next.config.ts'))).toBe(true);
    const server = await startServer({ WARM_UP_MAX_MS: '0' });
    servers.push(server);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    // Linux only, like the machines this runs on (/proc).
    expect(loadsCompiler(server.child.pid!)).toBe(false);
  });
});

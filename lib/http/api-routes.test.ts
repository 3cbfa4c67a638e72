import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, declaredRoute, matchApiRoute, routeFile } from './api-routes';

const root = path.resolve(import.meta.dirname, '../..');

function routeFiles(dir = path.join(root, 'app/api')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [path.relative(root, full)] : [];
  });
}

/** The HTTP methods a route file exports, in any of the forms Next accepts. */
function exportedMethods(source: string): string[] {
  const methods = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:async\s+)?(?:const|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(match[1]!);
  for (const match of source.matchAll(/export\s+(?:const\s+)?\{([^}]*)\}/g))
    for (const name of match[1]!.split(',').map((part) => part.trim().split(/\s+as\s+/).pop()!))
      if (/^(GET|POST|PUT|PATCH|DELETE)$/.test(name)) methods.add(name);
  return [...methods];
}

describe('the API route table', () => {
  it('declares every method of every route file under app/api, and nothing else', () => {
    const served = routeFiles()
      .flatMap((file) => exportedMethods(readFileSync(path.join(root, file), 'utf8')).map((method) => `${method} ${file}`))
      .sort();
    const declared = API_ROUTES.map((route) => `${route.method} ${routeFile(route)}`).sort();
    expect(served.length).toBeGreaterThan(10);
    expect(declared).toEqual(served);
  });

  it('is what each handler reads: a route file names only its own declarations', () => {
    for (const file of routeFiles()) {
      const source = readFileSync(path.join(root, file), 'utf8');
      for (const [, method, template] of source.matchAll(/declaredRoute\('([A-Z]+)', '([^']+)'\)/g)) {
        expect(routeFile({ path: template! }), `${file}: declaredRoute('${method}', '${template}')`).toBe(file);
        expect(exportedMethods(source)).toContain(method);
      }
    }
  });

  it('names each operation once', () => {
    const operations = API_ROUTES.map((route) => route.operation).filter((operation) => operation !== null);
    expect(new Set(operations).size).toBe(operations.length);
  });

  it('matches a request to its route as Next does: static segments before [id], [id] before catch-alls', () => {
    const id = '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';
    const match = (method: string, pathname: string) => matchApiRoute(method, pathname)?.path;
    expect(match('GET', '/api/jobs')).toBe('/api/jobs');
    expect(match('GET', '/api/jobs/')).toBe('/api/jobs');
    expect(match('GET', `/api/jobs/${id}`)).toBe('/api/jobs/[id]');
    expect(match('POST', `/api/jobs/${id}/applications`)).toBe('/api/jobs/[id]/applications');
    expect(match('POST', '/api/auth/sign-in/email')).toBe('/api/auth/sign-in/email');
    expect(match('GET', '/api/auth/get-session')).toBe('/api/auth/[...all]');
    expect(match('POST', '/api/auth/sign-out')).toBe('/api/auth/[...all]');
    expect(match('GET', '/api/nope/deeper')).toBe('/api/[...path]');
    expect(match('DELETE', `/api/jobs/${id}`)).toBe('/api/[...path]'); // no DELETE route: the JSON 404
    expect(match('GET', '/api')).toBeUndefined();
    expect(match('GET', '/jobs')).toBeUndefined();
  });

  it('refuses a declaration that does not exist, at module load', () => {
    expect(declaredRoute('GET', '/api/jobs').operation).toBe('listJobs');
    expect(() => declaredRoute('GET', '/api/job')).toThrow('no API route GET /api/job');
  });

  it('is the table in docs/api.md', () => {
    const doc = readFileSync(path.join(root, 'docs/api.md'), 'utf8');
    const rows = new Map<string, string[]>();
    for (const route of API_ROUTES) {
      const rest = `\`${route.path}\` | ${route.caller} | ${route.rateLimit.policy} (${route.rateLimit.key}) | ${route.whileDatabaseDown} |`;
      rows.set(rest, [...(rows.get(rest) ?? []), route.method]);
    }
    const expected = [...rows].map(([rest, methods]) => `| ${methods.join(', ')} | ${rest}`);
    const documented = doc.split('\n').filter((line) => /^\| (GET|POST|PUT|PATCH|DELETE)\b.*\| `\/api/.test(line));
    expect(documented).toEqual(expected);
  });
});

// Maps a request path to its route template (e.g. /api/jobs/[id]): API routes from their
// declaration (lib/http/api-routes.ts), pages from Next's build manifest, so metrics and spans are
// labelled by template, never by raw path (bounded cardinality, no ids).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { matchApiRoute } from '../http/api-routes';

type Manifest = { staticRoutes: { page: string }[]; dynamicRoutes: { page: string; regex: string }[] };
type Matcher = { exact: Set<string>; dynamic: { page: string; regex: RegExp }[] };

let matcher: Matcher | undefined;

function load(): Matcher {
  try {
    const manifest = JSON.parse(readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), '.next', 'routes-manifest.json'), 'utf8')) as Manifest;
    return {
      exact: new Set(manifest.staticRoutes.map((route) => route.page)),
      dynamic: manifest.dynamicRoutes.map((route) => ({ page: route.page, regex: new RegExp(route.regex) })),
    };
  } catch {
    return { exact: new Set(), dynamic: [] };
  }
}

export function routeTemplate(method: string, pathname: string): string {
  if (pathname === '/api' || pathname.startsWith('/api/')) return matchApiRoute(method === 'HEAD' ? 'GET' : method, pathname)?.path ?? 'unmatched';
  if (pathname.startsWith('/_next/static/')) return '/_next/static';
  if (pathname.startsWith('/_next/')) return '/_next';
  matcher ??= load();
  const trimmed = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname;
  if (matcher.exact.has(trimmed)) return trimmed;
  return matcher.dynamic.find((route) => route.regex.test(trimmed))?.page ?? 'unmatched';
}

import { readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetClientClaim, LIMITED_BEFORE_NEXT_HEADER, readLimitedBeforeNext } from './reads-before-next';

const isReadLimitedBeforeNext = (method: string, pathname: string) => readLimitedBeforeNext(method, pathname) !== undefined;

describe('reads limited before Next', () => {
  it('are the GET and HEAD requests of API routes declared per client IP, nothing else', () => {
    expect(isReadLimitedBeforeNext('GET', '/api/jobs')).toBe(true);
    expect(isReadLimitedBeforeNext('HEAD', '/api/jobs')).toBe(true);
    expect(isReadLimitedBeforeNext('GET', '/api/jobs/3f0c')).toBe(true);
    expect(isReadLimitedBeforeNext('GET', '/api/me/applications')).toBe(true);
    expect(isReadLimitedBeforeNext('GET', '/api/no-such-route')).toBe(true); // the JSON 404, counted like any read
    expect(isReadLimitedBeforeNext('POST', '/api/jobs')).toBe(false); // writes: proxy.ts (cross-site check, per-user limits)
    expect(isReadLimitedBeforeNext('PATCH', '/api/jobs/3f0c')).toBe(false);
    expect(isReadLimitedBeforeNext('GET', '/')).toBe(false); // pages: proxy.ts (CSP nonce)
    expect(isReadLimitedBeforeNext('GET', '/jobs/3f0c')).toBe(false);
  });

  it('forget whatever header a client sent to claim it', () => {
    const req = { headers: { [LIMITED_BEFORE_NEXT_HEADER]: '1', accept: '*/*' } } as unknown as http.IncomingMessage;
    forgetClientClaim(req);
    expect(req.headers).toEqual({ accept: '*/*' });
  });

  it("are the requests proxy.ts's matcher skips, by the same header name", () => {
    const proxy = readFileSync(path.join(import.meta.dirname, '../../proxy.ts'), 'utf8');
    expect(proxy).toContain(`missing: [{ type: 'header', key: '${LIMITED_BEFORE_NEXT_HEADER}' }]`);
  });
});

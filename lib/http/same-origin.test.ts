import { describe, expect, it } from 'vitest';
import { crossSiteWriteReason } from './same-origin';

const APP = 'https://jobs.example.com';
const reason = (method: string, headers: Record<string, string>) => crossSiteWriteReason(method, new Headers({ host: 'jobs.example.com', ...headers }), APP);

describe('crossSiteWriteReason', () => {
  it('lets reads through whatever their origin', () => {
    expect(reason('GET', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).toBeNull();
  });

  it('lets same-origin writes through: by Sec-Fetch-Site, by Origin = APP_URL, by Origin = the Host it was sent to', () => {
    expect(reason('POST', { 'sec-fetch-site': 'same-origin', origin: APP })).toBeNull();
    expect(reason('PATCH', { origin: APP })).toBeNull();
    expect(crossSiteWriteReason('POST', new Headers({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' }), 'http://localhost:3000')).toBeNull();
  });

  it('lets a client that is not a browser through (no Origin, no Sec-Fetch-Site)', () => {
    expect(reason('POST', {})).toBeNull();
  });

  it('refuses cross-site and same-site writes, naming the header', () => {
    expect(reason('POST', { origin: 'https://evil.example' })).toBe('Origin https://evil.example is not this site');
    expect(reason('POST', { 'sec-fetch-site': 'cross-site', origin: APP })).toBe('Sec-Fetch-Site is cross-site');
    expect(reason('DELETE', { 'sec-fetch-site': 'same-site' })).toBe('Sec-Fetch-Site is same-site');
    expect(reason('POST', { origin: 'null' })).toMatch(/^Origin is null/);
    expect(reason('POST', { origin: 'not a url' })).toMatch(/is not a URL$/);
    expect(reason('PUT', { origin: 'https://jobs.example.com.evil.example' })).toMatch(/is not this site$/);
  });
});

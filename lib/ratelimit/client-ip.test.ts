import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { resolveClientIp } from './client-ip';

const request = (peer: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress: peer }, headers }) as unknown as http.IncomingMessage;

describe('client IP', () => {
  it('is the socket peer, whatever X-Forwarded-For says', () => {
    expect(resolveClientIp(request('::ffff:10.1.2.3', { 'x-forwarded-for': '1.1.1.1' }), { trustedProxies: '' })).toBe('10.1.2.3');
  });
  it('comes from the configured header only when the peer is trusted', () => {
    const options = { header: 'Fly-Client-IP', trustedProxies: 'fdaa:,127.0.0.1' };
    expect(resolveClientIp(request('fdaa:0:1::3', { 'fly-client-ip': '203.0.113.9' }), options)).toBe('203.0.113.9');
    expect(resolveClientIp(request('198.51.100.7', { 'fly-client-ip': '203.0.113.9' }), options)).toBe('198.51.100.7');
    expect(resolveClientIp(request('127.0.0.1', {}), options)).toBe('127.0.0.1');
    expect(resolveClientIp(request('10.0.0.1', { 'fly-client-ip': '203.0.113.9, 10.0.0.1' }), { header: 'fly-client-ip', trustedProxies: '*' })).toBe('203.0.113.9');
  });
});

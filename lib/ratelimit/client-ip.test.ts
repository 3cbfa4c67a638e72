import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { rateLimitAddress, resolveClientIp } from './client-ip';

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

describe('the address a per-IP budget counts by', () => {
  it('is an IPv4 address whole, and anything that is not IPv6 unchanged', () => {
    expect(rateLimitAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitAddress('unknown')).toBe('unknown');
    expect(rateLimitAddress('not:an:address')).toBe('not:an:address');
  });

  it("is an IPv6 address's /64, however the address is written", () => {
    const prefix = '2001:db8:ab:c::/64';
    for (const spelling of ['2001:db8:ab:c:1:2:3:4', '2001:0DB8:00ab:000c:ffff:ffff:ffff:ffff', '2001:db8:ab:c::1', '2001:db8:ab:c::', '2001:db8:ab:c:0:0:192.0.2.1', '2001:db8:ab:c::1%eth0']) {
      expect(rateLimitAddress(spelling), spelling).toBe(prefix);
    }
  });

  it('expands :: to the zero groups it stands for, wherever it is', () => {
    expect(rateLimitAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateLimitAddress('1::2:3:4:5:6:7')).toBe('1:0:2:3::/64');
    expect(rateLimitAddress('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitAddress('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('tells different /64s apart', () => {
    expect(rateLimitAddress('2001:db8:ab:c::1')).not.toBe(rateLimitAddress('2001:db8:ab:d::1'));
  });
});

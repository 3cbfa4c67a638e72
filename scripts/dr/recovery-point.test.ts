import { describe, expect, it } from 'vitest';
import { acknowledgedWrites, outageBehaviour, recoveryPoint } from './recovery-point.mjs';

// Canary #seq sent at 1000 + 100·seq ms, acknowledged 5 ms later.
const canaries = (count: number, unacked: number[] = []) =>
  Array.from({ length: count }, (_, i) => ({ seq: i + 1, sentAt: 1_000 + 100 * (i + 1), ackAt: unacked.includes(i + 1) ? null : 1_005 + 100 * (i + 1) }));

describe('recoveryPoint', () => {
  it('is the time between the newest acknowledged canary and the newest restored one', () => {
    const writes = canaries(50);
    // Disaster just after #40 was acknowledged; the restore holds #1–#30.
    const point = recoveryPoint(writes, Array.from({ length: 30 }, (_, i) => i + 1), 1_005 + 100 * 40);
    expect(point).toMatchObject({ newestAckedSeq: 40, newestRestoredSeq: 30, rpoSeconds: 1, missing: [], problem: null });
    expect(point.recoveryPointAt).toBe(1_000 + 100 * 30);
  });

  it('is 0 when the restore holds the newest acknowledged canary, or one never acknowledged', () => {
    const writes = canaries(20, [20]);
    expect(recoveryPoint(writes, Array.from({ length: 20 }, (_, i) => i + 1), 1_005 + 100 * 20).rpoSeconds).toBe(0);
  });

  it('lists acknowledged canaries missing below the recovery point (a hole is data loss)', () => {
    const restored = [1, 2, 3, 5, 6, 8];
    expect(recoveryPoint(canaries(10), restored, 10_000).missing).toEqual([4, 7]);
  });

  it('says so when nothing was acknowledged or nothing restored', () => {
    expect(recoveryPoint(canaries(3), [1], 0).problem).toMatch(/no canary was acknowledged/);
    expect(recoveryPoint(canaries(3), [], 10_000)).toMatchObject({ problem: expect.stringMatching(/holds none/), missing: [1, 2, 3] });
  });
});

describe('acknowledgedWrites', () => {
  it('keeps only 201s with an id acknowledged before the recovery point', () => {
    const results = [
      { kind: 'apply', status: 201, id: 'a1', ackAt: 100 },
      { kind: 'apply', status: 201, id: 'a2', ackAt: 300 },
      { kind: 'apply', status: 503, id: null, ackAt: 150 },
      { kind: 'post', status: 201, id: 'j1', ackAt: 120 },
      { kind: 'read', status: 200, id: 'x', ackAt: 50 },
    ];
    expect(acknowledgedWrites(results, 200)).toEqual({ applications: ['a1'], jobs: ['j1'] });
  });
});

describe('outageBehaviour', () => {
  const answer = (kind: string, status: number, extra: Record<string, unknown> = {}) => ({ kind, phase: 'outage', status, degraded: false, retryAfter: null, error: null, ...extra });
  const ready503 = [{ phase: 'outage', status: 503 }];

  it('accepts degraded reads, writes refused 503 with Retry-After, and readiness 503', () => {
    const results = [answer('read', 200, { degraded: true }), answer('read', 503, { retryAfter: '5' }), answer('apply', 503, { retryAfter: '5' }), answer('read', 200, { phase: 'before' })];
    expect(outageBehaviour(results, ready503)).toMatchObject({ problems: [], answers: 3, degradedReads: 1, refusedWrites: 1 });
  });

  it('flags a 500, a 503 without Retry-After, a dropped connection and a write acknowledged without a database', () => {
    const results = [answer('read', 200, { degraded: true }), answer('read', 500), answer('apply', 503), answer('read', 0, { error: 'ECONNRESET' }), answer('post', 201)];
    const { problems } = outageBehaviour(results, ready503);
    expect(problems[0]).toMatch(/^3 of 5 answers were not the designed ones/);
    expect(problems).toContain('1 writes were acknowledged while the database was gone');
  });

  it('needs reads from the last-known-good copy and readiness 503', () => {
    const { problems } = outageBehaviour([answer('read', 503, { retryAfter: '5' })], [{ phase: 'outage', status: 200 }]);
    expect(problems).toEqual(['no read was answered from the last-known-good copy', 'readiness never answered 503']);
  });
});

// The arithmetic of a drill's verdict, kept apart from the processes so it is unit-tested:
// the recovery point and RPO from the canaries, the acknowledged writes a restore must hold, and
// whether the app behaved as designed while its database was gone.

/**
 * `writes`: the canary inserts ({ seq, sentAt, ackAt|null }); `restored`: the sequence numbers the
 * restored database holds; `disasterAt`: when the database was destroyed.
 * RPO = acknowledgement time of the newest canary acknowledged before the disaster − that of the
 * newest one restored (0 when the restore holds it). `recoveryPointAt` is when the newest restored
 * canary was sent: any write acknowledged before then committed before it, so it must be restored.
 */
export function recoveryPoint(writes, restored, disasterAt) {
  const present = new Set(restored.map(Number));
  const acked = writes.filter((w) => w.ackAt !== null && w.ackAt <= disasterAt);
  const newestAcked = acked.reduce((newest, w) => (!newest || w.seq > newest.seq ? w : newest), null);
  const newestRestoredSeq = present.size ? Math.max(...present) : null;
  const newestRestored = newestRestoredSeq === null ? null : writes.find((w) => w.seq === newestRestoredSeq);
  if (!newestAcked) return { newestAckedSeq: null, newestRestoredSeq, rpoSeconds: null, recoveryPointAt: null, missing: [], problem: 'no canary was acknowledged before the disaster' };
  if (!newestRestored) return { newestAckedSeq: newestAcked.seq, newestRestoredSeq, rpoSeconds: null, recoveryPointAt: null, missing: acked.map((w) => w.seq), problem: 'the restore holds none of the drill\'s canaries' };
  const restoredTime = newestRestored.ackAt ?? newestRestored.sentAt;
  const rpoSeconds = Math.max(0, (newestAcked.ackAt - restoredTime) / 1000);
  const missing = acked.filter((w) => w.seq <= newestRestoredSeq && !present.has(w.seq)).map((w) => w.seq);
  return { newestAckedSeq: newestAcked.seq, newestRestoredSeq, rpoSeconds: round(rpoSeconds, 2), recoveryPointAt: newestRestored.sentAt, missing, problem: null };
}

/** Applications and jobs the app acknowledged (201 with an id) before `before` (epoch ms). */
export function acknowledgedWrites(results, before) {
  const acked = results.filter((e) => (e.kind === 'apply' || e.kind === 'post') && e.status === 201 && e.id && e.ackAt !== null && e.ackAt < before);
  return {
    applications: acked.filter((e) => e.kind === 'apply').map((e) => e.id),
    jobs: acked.filter((e) => e.kind === 'post').map((e) => e.id),
  };
}

/**
 * While the database was gone the app must stay up and refuse honestly: no answer other than
 * 200 (fresh or degraded) or 503 with Retry-After for reads, 503 with Retry-After for writes (a
 * write's own validation answer, 4xx, is fine too), never a dropped connection or another 5xx;
 * and readiness must have said 503 so a load balancer stops sending new users here.
 */
export function outageBehaviour(results, readiness, phase = 'outage') {
  const during = results.filter((e) => e.phase === phase);
  const problems = [];
  const bad = during.filter((e) => {
    if (e.error) return true; // a dropped connection or a timeout
    if (e.status === 503) return !e.retryAfter;
    if (e.status >= 500) return true;
    if (e.kind === 'read') return e.status !== 200 && e.status !== 404;
    return false; // a write's 2xx is counted below; its 4xx is its own answer
  });
  if (bad.length) {
    const example = bad[0];
    problems.push(`${bad.length} of ${during.length} answers were not the designed ones, e.g. ${example.kind} → ${example.error ? `no answer (${example.error})` : example.status}`);
  }
  const degradedReads = during.filter((e) => e.kind === 'read' && e.status === 200 && e.degraded).length;
  const refusedWrites = during.filter((e) => e.kind !== 'read' && e.status === 503 && e.retryAfter).length;
  const acceptedWrites = during.filter((e) => e.kind !== 'read' && e.status >= 200 && e.status < 300).length;
  if (!during.some((e) => e.kind === 'read')) problems.push('no read was sent during the outage');
  else if (degradedReads === 0) problems.push('no read was answered from the last-known-good copy');
  if (acceptedWrites > 0) problems.push(`${acceptedWrites} writes were acknowledged while the database was gone`);
  const probes = readiness.filter((e) => e.phase === phase);
  if (!probes.some((e) => e.status === 503)) problems.push('readiness never answered 503');
  return { problems, answers: during.length, degradedReads, refusedWrites, readiness503: probes.filter((e) => e.status === 503).length, readinessProbes: probes.length };
}

export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

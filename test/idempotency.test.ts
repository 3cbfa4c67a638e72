// Idempotency-Key on the two creates (docs/api.md, "Retrying writes"): a retry with the same key
// and body gets the original answer (same id, Idempotent-Replayed: true) and stores nothing new;
// the same key with another body is 422; without a key nothing changes (a second apply is 409).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, candidateEmployerAndJob, postJob, type Session, signUp, validApplication, validJob } from './support/api';

let candidate: Session;
let employer: Session;
let jobId: string;

beforeAll(async () => {
  ({ candidate, employer, jobId } = await candidateEmployerAndJob());
});

const apply = (session: Session, job: string, key: string | null, body = validApplication()) =>
  call('POST', `/api/jobs/${job}/applications`, { session, json: body, headers: key === null ? {} : { 'idempotency-key': key } });
const myApplicationsFor = async (session: Session, job: string) =>
  ((await call('GET', '/api/me/applications', { session })).body.applications as Array<{ id: string; job: { id: string } }>).filter((a) => a.job.id === job);
const jobsTitled = async (title: string) => ((await call('GET', `/api/jobs?limit=50&q=${encodeURIComponent(title)}`)).body.jobs as unknown[]).length;

describe('POST /api/jobs/{id}/applications with Idempotency-Key', () => {
  it('a retry with the same key and body returns the original 201 (same id, marked replayed) and stores one application', async () => {
    const key = randomUUID();
    const first = await apply(candidate, jobId, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await apply(candidate, jobId, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await myApplicationsFor(candidate, jobId)).map((a) => a.id)).toEqual([first.body.application.id]);
  });

  it('the same key with a different body, or for another job, is 422 and stores nothing', async () => {
    const someone = await signUp('candidate');
    const key = randomUUID();
    expect((await apply(someone, jobId, key)).status).toBe(201);
    const changed = await apply(someone, jobId, key, validApplication({ coverLetter: 'A different letter, sent under the key of the first one.' }));
    expect(changed.status).toBe(422);
    expect(changed.body.error).toMatchObject({ code: 'idempotency_key_reused', message: expect.stringContaining('different request') });
    const otherJob = (await postJob(employer)).id;
    const elsewhere = await apply(someone, otherJob, key);
    expect(elsewhere.status).toBe(422);
    expect(await myApplicationsFor(someone, otherJob)).toEqual([]);
  });

  it('without a key, applying twice is still 409', async () => {
    const someone = await signUp('candidate');
    expect((await apply(someone, jobId, null)).status).toBe(201);
    const again = await apply(someone, jobId, null);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('ten concurrent requests with one key: all 201 with the same id, one application', async () => {
    const someone = await signUp('candidate');
    const key = randomUUID();
    const replies = await Promise.all(Array.from({ length: 10 }, () => apply(someone, jobId, key)));
    expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(201));
    expect(new Set(replies.map((reply) => reply.body.application.id)).size).toBe(1);
    expect(replies.filter((reply) => reply.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(await myApplicationsFor(someone, jobId)).toHaveLength(1);
  });

  it.each([
    ['longer than 255 characters', 'k'.repeat(256)],
    ['with a space', 'two words'],
    ['empty', ''],
  ])('a key %s is 400 naming the header; nothing stored', async (_label, key) => {
    const someone = await signUp('candidate');
    const reply = await apply(someone, jobId, key);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: 'validation_failed', fields: { 'Idempotency-Key': [expect.stringContaining('255 visible ASCII')] } });
    expect(await myApplicationsFor(someone, jobId)).toEqual([]);
  });
});

describe('POST /api/jobs with Idempotency-Key', () => {
  it('a retry returns the same job (and Location); keys are per user, so another employer with the same key gets a job of their own', async () => {
    const key = randomUUID();
    const title = `Keyed ${key.slice(0, 8)}`;
    const first = await call('POST', '/api/jobs', { session: employer, json: validJob({ title }), headers: { 'idempotency-key': key } });
    const retry = await call('POST', '/api/jobs', { session: employer, json: validJob({ title }), headers: { 'idempotency-key': key } });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.job.id).toBe(first.body.job.id);
    expect(retry.headers.get('location')).toBe(`/api/jobs/${first.body.job.id}`);
    expect(await jobsTitled(title)).toBe(1);

    const other = await signUp('employer');
    const theirs = await call('POST', '/api/jobs', { session: other, json: validJob({ title }), headers: { 'idempotency-key': key } });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.job.id).not.toBe(first.body.job.id);

    const changed = await call('POST', '/api/jobs', { session: employer, json: validJob({ title: 'Another title' }), headers: { 'idempotency-key': key } });
    expect(changed.status).toBe(422);
    expect(await jobsTitled(title)).toBe(2);
    expect(await jobsTitled('Another title')).toBe(0);
  });
});

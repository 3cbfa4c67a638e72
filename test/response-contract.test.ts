// What every API answer looks like on the wire: the exact keys of each response type (no employer
// user ids, emails or internal fields leak into public job data), JSON declared as UTF-8, never
// cached, and no CORS headers (the API is same-origin only: docs/api.md).
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, call, candidateEmployerAndJob, type Reply, type Session, TEST_PASSWORD, validApplication, validJob } from './support/api';

const JOB_KEYS = ['company', 'createdAt', 'currency', 'description', 'employmentType', 'id', 'location', 'remote', 'salaryMax', 'salaryMin', 'status', 'tags', 'title', 'updatedAt'];
const COMPANY_KEYS = ['id', 'name', 'website'];
const APPLICATION_KEYS = ['coverLetter', 'createdAt', 'id', 'resumeUrl', 'status'];
const USER_KEYS = ['email', 'id', 'name', 'role'];

const keys = (value: unknown) => Object.keys(value as object).sort();

function expectJob(job: unknown) {
  expect(keys(job)).toEqual(JOB_KEYS);
  expect(keys((job as { company: unknown }).company)).toEqual(COMPANY_KEYS);
}

/** The wire rules every JSON answer of the API follows, success or error. */
function expectApiJson(reply: Reply) {
  expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(reply.headers.get('cache-control')).toBe('no-store');
  expect([...reply.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
}

let candidate: Session;
let employer: Session;
let jobId: string;
const replies: Array<[string, Reply]> = [];
const record = (label: string, reply: Reply) => (replies.push([label, reply]), reply);

beforeAll(async () => {
  ({ candidate, employer, jobId } = await candidateEmployerAndJob());
});

describe('response shapes (exact key sets)', () => {
  it('job list: { jobs, nextCursor }, each job public fields only', async () => {
    const reply = record('GET /api/jobs', await call('GET', '/api/jobs?limit=5', { headers: { origin: 'https://evil.example' } }));
    expect(reply.status).toBe(200);
    expect(keys(reply.body)).toEqual(['jobs', 'nextCursor']);
    expect(reply.body.jobs.length).toBeGreaterThan(0);
    for (const job of reply.body.jobs) expectJob(job);
  });

  it('one job, created job and updated job: { job }', async () => {
    const one = record('GET /api/jobs/{id}', await call('GET', `/api/jobs/${jobId}`));
    expect(keys(one.body)).toEqual(['job']);
    expectJob(one.body.job);
    const created = record('POST /api/jobs', await call('POST', '/api/jobs', { session: employer, json: validJob() }));
    expect(created.status).toBe(201);
    expect(keys(created.body)).toEqual(['job']);
    expectJob(created.body.job);
    const updated = record('PATCH /api/jobs/{id}', await call('PATCH', `/api/jobs/${jobId}`, { session: employer, json: { title: 'Renamed' } }));
    expect(updated.status).toBe(200);
    expectJob(updated.body.job);
    // The employer's user id and email appear nowhere in public job data.
    const text = JSON.stringify([one.body, created.body, updated.body]);
    expect(text).not.toContain(employer.user.id);
    expect(text).not.toContain(employer.user.email);
  });

  it('applications: the candidate sees the job, the employer sees the candidate, nothing else', async () => {
    const created = record('POST /api/jobs/{id}/applications', await call('POST', `/api/jobs/${jobId}/applications`, { session: candidate, json: validApplication() }));
    expect(created.status).toBe(201);
    expect(keys(created.body)).toEqual(['application']);
    expect(keys(created.body.application)).toEqual([...APPLICATION_KEYS, 'jobId'].sort());

    const mine = record('GET /api/me/applications', await call('GET', '/api/me/applications', { session: candidate }));
    expect(keys(mine.body)).toEqual(['applications']);
    expect(keys(mine.body.applications[0])).toEqual([...APPLICATION_KEYS, 'job'].sort());
    expect(keys(mine.body.applications[0].job)).toEqual(['companyName', 'id', 'location', 'status', 'title']);
    expect(JSON.stringify(mine.body)).not.toContain(employer.user.id);

    const applicants = record('GET /api/jobs/{id}/applications', await call('GET', `/api/jobs/${jobId}/applications`, { session: employer }));
    expect(keys(applicants.body)).toEqual(['applications']);
    expect(keys(applicants.body.applications[0])).toEqual([...APPLICATION_KEYS, 'candidate'].sort());
    expect(keys(applicants.body.applications[0].candidate)).toEqual(['email', 'id', 'name']);
  });

  it('sign-in: { user } with the public fields of the account, no session token in the body', async () => {
    const reply = record('POST /api/auth/sign-in/email', await call('POST', '/api/auth/sign-in/email', { json: { email: candidate.user.email, password: TEST_PASSWORD } }));
    expect(reply.status).toBe(200);
    expect(keys(reply.body)).toEqual(['user']);
    expect(keys(reply.body.user)).toEqual(USER_KEYS);
  });

  it('errors: { error: { code, message } } and nothing else', async () => {
    const missing = record('404', await call('GET', '/api/jobs/00000000-0000-4000-8000-000000000000'));
    expect(missing.status).toBe(404);
    expect(keys(missing.body)).toEqual(['error']);
    expect(keys(missing.body.error)).toEqual(['code', 'message']);
    const invalid = record('400', await call('POST', '/api/jobs', { session: employer, json: { title: '' } }));
    expect(invalid.status).toBe(400);
    expect(keys(invalid.body.error)).toEqual(['code', 'fields', 'message']);
    const anonymous = record('401', await call('GET', '/api/me/applications'));
    expect(anonymous.status).toBe(401);
    expect(keys(anonymous.body.error)).toEqual(['code', 'message']);
  });
});

describe('wire rules', () => {
  it('every answer above: application/json; charset=utf-8, no-store, no CORS headers (even when another origin asks)', () => {
    expect(replies.length).toBeGreaterThanOrEqual(11);
    for (const [label, reply] of replies) expect.soft(() => expectApiJson(reply), label).not.toThrow();
  });

  it("better-auth's own session routes declare the charset and are never cached", async () => {
    const session = await call('GET', '/api/auth/get-session', { session: candidate });
    expect(session.status).toBe(200);
    expect(session.body.user.id).toBe(candidate.user.id);
    expectApiJson(session);
  });

  it('a CORS preflight gets no Access-Control-Allow-* answer', async () => {
    const response = await fetch(`${baseUrl()}/api/jobs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    await response.arrayBuffer();
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

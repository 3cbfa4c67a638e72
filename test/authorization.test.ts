// The full authorization matrix: anonymous / candidate / other candidate / employer (owner) /
// other employer × every endpoint of the API contract (docs/api.md).
import { beforeAll, describe, expect, it } from 'vitest';
import { call, postJob, type Session, signUp, validApplication, validJob } from './support/api';

type Who = 'anonymous' | 'candidate' | 'otherCandidate' | 'owner' | 'otherEmployer';
const people: Record<Who, Session | null> = { anonymous: null, candidate: null, otherCandidate: null, owner: null, otherEmployer: null };
let jobId = '';

beforeAll(async () => {
  [people.candidate, people.otherCandidate, people.owner, people.otherEmployer] = await Promise.all([
    signUp('candidate'),
    signUp('candidate'),
    signUp('employer'),
    signUp('employer'),
  ]);
  jobId = (await postJob(people.owner!)).id;
  // The candidate has applied; the other candidate has not.
  const applied = await call('POST', `/api/jobs/${jobId}/applications`, { session: people.candidate, json: validApplication() });
  expect(applied.status).toBe(201);
});

type Row = { endpoint: string; request: () => [string, string, unknown?]; expected: Record<Who, number> };

const rows: Row[] = [
  { endpoint: 'GET /api/jobs', request: () => ['GET', '/api/jobs?limit=1'], expected: { anonymous: 200, candidate: 200, otherCandidate: 200, owner: 200, otherEmployer: 200 } },
  { endpoint: 'GET /api/jobs/{id}', request: () => ['GET', `/api/jobs/${jobId}`], expected: { anonymous: 200, candidate: 200, otherCandidate: 200, owner: 200, otherEmployer: 200 } },
  { endpoint: 'POST /api/jobs', request: () => ['POST', '/api/jobs', validJob()], expected: { anonymous: 401, candidate: 403, otherCandidate: 403, owner: 201, otherEmployer: 201 } },
  { endpoint: 'PATCH /api/jobs/{id}', request: () => ['PATCH', `/api/jobs/${jobId}`, { title: 'Edited by the matrix' }], expected: { anonymous: 401, candidate: 403, otherCandidate: 403, owner: 200, otherEmployer: 403 } },
  { endpoint: 'GET /api/jobs/{id}/applications', request: () => ['GET', `/api/jobs/${jobId}/applications`], expected: { anonymous: 401, candidate: 403, otherCandidate: 403, owner: 200, otherEmployer: 403 } },
  // The candidate already applied (409); the other candidate's first application is created (201).
  { endpoint: 'POST /api/jobs/{id}/applications', request: () => ['POST', `/api/jobs/${jobId}/applications`, validApplication()], expected: { anonymous: 401, candidate: 409, otherCandidate: 201, owner: 403, otherEmployer: 403 } },
  { endpoint: 'GET /api/me/applications', request: () => ['GET', '/api/me/applications'], expected: { anonymous: 401, candidate: 200, otherCandidate: 200, owner: 403, otherEmployer: 403 } },
];

const whos: Who[] = ['anonymous', 'candidate', 'otherCandidate', 'owner', 'otherEmployer'];

describe('authorization matrix', () => {
  for (const row of rows) {
    for (const who of whos) {
      it(`${row.endpoint} as ${who} → ${row.expected[who]}`, async () => {
        const [method, path, json] = row.request();
        const reply = await call(method, path, { session: people[who], json });
        expect(reply.status).toBe(row.expected[who]);
        if (reply.status >= 400) expect(reply.body.error.code).toEqual(expect.any(String));
      });
    }
  }

  it('a candidate sees only their own applications', async () => {
    const mine = await call('GET', '/api/me/applications', { session: people.otherCandidate });
    for (const application of mine.body.applications) expect(application).not.toHaveProperty('candidate');
    const theirs = await call('GET', '/api/me/applications', { session: people.candidate });
    const ids = new Set(theirs.body.applications.map((a: { id: string }) => a.id));
    for (const application of mine.body.applications) expect(ids.has(application.id)).toBe(false);
  });

  it('an unknown job is 404 for the employer endpoints too (not a 500)', async () => {
    const unknown = '00000000-0000-7000-8000-000000000000';
    expect((await call('PATCH', `/api/jobs/${unknown}`, { session: people.owner, json: { title: 'Nope nope' } })).status).toBe(404);
    expect((await call('GET', `/api/jobs/${unknown}/applications`, { session: people.owner })).status).toBe(404);
    expect((await call('GET', '/api/jobs/not-a-uuid')).status).toBe(404);
  });
});

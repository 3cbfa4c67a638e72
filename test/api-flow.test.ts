import { describe, expect, it } from 'vitest';
import { DEMO_CANDIDATE, DEMO_PASSWORD } from '../lib/db/seed';
import { baseUrl, call, postJob, signIn, signUp, validApplication } from './support/api';

describe('the job board over its JSON API', () => {
  it('lets an employer post a job and a candidate apply once, and shows each side what it should see', async () => {
    const employer = await signUp('employer', { companyName: 'Flowtest GmbH' });
    expect(employer.user.role).toBe('employer');
    expect(employer.cookie).toMatch(/better-auth\.session_token=/);

    const job = await postJob(employer);
    expect(job.company.name).toBe('Flowtest GmbH');

    const publicView = await call('GET', `/api/jobs/${job.id}`);
    expect(publicView.status).toBe(200);
    expect(publicView.body.job).toMatchObject({ id: job.id, status: 'open', tags: ['testing', 'node'] });
    expect(publicView.body.job.company).not.toHaveProperty('ownerId');

    const candidate = await signUp('candidate');
    const applied = await call('POST', `/api/jobs/${job.id}/applications`, { session: candidate, json: validApplication() });
    expect(applied.status).toBe(201);
    expect(applied.body.application).toMatchObject({ jobId: job.id, status: 'submitted' });

    const again = await call('POST', `/api/jobs/${job.id}/applications`, { session: candidate, json: validApplication() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');

    const mine = await call('GET', '/api/me/applications', { session: candidate });
    expect(mine.status).toBe(200);
    expect(mine.body.applications.map((a: { id: string }) => a.id)).toEqual([applied.body.application.id]);
    expect(mine.body.applications[0].job.title).toBe(job.title);

    const applicants = await call('GET', `/api/jobs/${job.id}/applications`, { session: employer });
    expect(applicants.status).toBe(200);
    expect(applicants.body.applications).toHaveLength(1);
    expect(applicants.body.applications[0].candidate.id).toBe(candidate.user.id);
  });

  it('lets the owner edit and close a job; a closed job disappears from the board and takes no applications', async () => {
    const employer = await signUp('employer');
    const job = await postJob(employer, { title: 'Closable role for the flow test' });
    const edited = await call('PATCH', `/api/jobs/${job.id}`, { session: employer, json: { title: 'Renamed role', salaryMax: 150_000 } });
    expect(edited.status).toBe(200);
    expect(edited.body.job).toMatchObject({ title: 'Renamed role', salaryMax: 150_000 });

    const closed = await call('PATCH', `/api/jobs/${job.id}`, { session: employer, json: { status: 'closed' } });
    expect(closed.body.job.status).toBe('closed');

    expect((await call('GET', `/api/jobs/${job.id}`)).status).toBe(404);
    expect((await call('GET', `/api/jobs/${job.id}`, { session: employer })).status).toBe(200);
    const list = await call('GET', `/api/jobs?q=${encodeURIComponent('Renamed role')}&limit=50`);
    expect(list.body.jobs.map((j: { id: string }) => j.id)).not.toContain(job.id);

    const candidate = await signUp('candidate');
    const apply = await call('POST', `/api/jobs/${job.id}/applications`, { session: candidate, json: validApplication() });
    expect(apply.status).toBe(404);
  });

  it('signs in the seeded demo candidate and rejects a wrong password with 401', async () => {
    const ok = await signIn(DEMO_CANDIDATE.email, DEMO_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.user.role).toBe('candidate');
    const wrong = await signIn(DEMO_CANDIDATE.email, 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('rejects a second account with the same email as 409, whatever its case', async () => {
    const first = await signUp('candidate');
    const again = await call('POST', '/api/auth/sign-up/email', {
      json: { name: 'Again', email: first.user.email.toUpperCase(), password: 'another horse battery' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
  });

  it('cannot become an employer after sign-up through better-auth update-user', async () => {
    const candidate = await signUp('candidate');
    const update = await call('POST', '/api/auth/update-user', { session: candidate, json: { name: 'Renamed', role: 'employer' }, headers: { origin: baseUrl() } });
    // Whether better-auth refuses the field (4xx) or our update hook drops it, the role must not change.
    expect(update.status).toBeLessThan(500);
    const post = await call('POST', '/api/jobs', { session: candidate, json: { title: 'x' } });
    expect(post.status).toBe(403);
    // From the database, not the signed cookie cache (which would say 'candidate' either way).
    const session = await call('GET', '/api/auth/get-session?disableCookieCache=true', { session: candidate });
    expect(session.body.user.role).toBe('candidate');
    expect(session.body.user.name).toBe('Renamed'); // the rest of the update went through
  });

  it('signs out: the session cookie no longer works', async () => {
    const candidate = await signUp('candidate');
    const out = await call('POST', '/api/auth/sign-out', { session: candidate, json: {} });
    expect(out.status).toBe(200);
    // The cookie cache of the signed-out session is cleared by the response; a client that keeps
    // the old session token only is refused once the session row is gone.
    const tokenOnly = candidate.cookie.split('; ').filter((c) => c.startsWith('better-auth.session_token=')).join('; ');
    const mine = await call('GET', '/api/me/applications', { session: { ...candidate, cookie: tokenOnly } });
    expect(mine.status).toBe(401);
  });
});

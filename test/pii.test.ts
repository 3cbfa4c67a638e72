// Personal data never reaches logs or span attributes: a full run with known values (sign-up,
// sign-in, wrong password, apply, duplicate, invalid input, the employer reading applicants) at
// debug level, then every byte the server printed and exported is searched for them.
import { afterAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from './support/otlp-receiver';
import { startServer } from './support/server';
import { cookieHeader } from './support/cookies';

const marker = `pii${Date.now().toString(36)}`;
const candidate = { name: `Zelda ${marker} Quill`, email: `zelda.${marker}@example.org`, password: `hunter2-${marker}-secret` };
const employer = { name: `Ezra ${marker} Hire`, email: `ezra.${marker}@example.org`, password: `pw-${marker}-employer` };
const coverLetter = `Dear team, I am ${marker} and I have built things for years; this letter is private and personal.`;
const resumeUrl = `https://cv.example.org/${marker}/resume.pdf`;

describe('personal data in logs and traces', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('none of the names, emails, passwords, cover letters, résumé URLs or cookies appear', async () => {
    const receiver = await startOtlpReceiver();
    const server = await startServer({ LOG_LEVEL: 'debug', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    cleanups.push(() => server.stop(), () => receiver.close());
    const post = async (path: string, body: unknown, cookie = '') => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
      return { response, body: await response.json().catch(() => null), cookie: cookieHeader(response.headers) };
    };

    const emp = await post('/api/auth/sign-up/email', { ...employer, role: 'employer', companyName: `Company ${marker}` });
    const job = await post('/api/jobs', { title: 'Privacy Engineer', description: 'Keep personal data where it belongs.', location: 'Remote', remote: true, employmentType: 'full_time' }, emp.cookie);
    const cand = await post('/api/auth/sign-up/email', candidate);
    await post('/api/auth/sign-in/email', { email: candidate.email, password: 'wrong-password-x' });
    const signedIn = await post('/api/auth/sign-in/email', { email: candidate.email, password: candidate.password });
    const cookie = signedIn.cookie || cand.cookie;
    expect((await post(`/api/jobs/${job.body.job.id}/applications`, { coverLetter, resumeUrl }, cookie)).response.status).toBe(201);
    expect((await post(`/api/jobs/${job.body.job.id}/applications`, { coverLetter, resumeUrl }, cookie)).response.status).toBe(409);
    expect((await post(`/api/jobs/${job.body.job.id}/applications`, { coverLetter: marker, resumeUrl: `not a url ${marker}` }, cookie)).response.status).toBe(400);
    await post('/api/auth/sign-up/email', { ...candidate, email: `broken ${marker}` });
    const applicants = await fetch(`${server.url}/api/jobs/${job.body.job.id}/applications`, { headers: { cookie: emp.cookie } });
    expect(await applicants.text()).toContain(candidate.email); // the employer does see it…
    await fetch(`${server.url}/employer/jobs/${job.body.job.id}`, { headers: { cookie: emp.cookie } });
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // let spans export
    await server.stop();

    const output = server.output();
    const spans = JSON.stringify(receiver.spans);
    expect(output).toContain('"event":"application_created"'); // …the run did log
    expect(receiver.spans.length).toBeGreaterThan(10);
    const sessionToken = decodeURIComponent(cookie.split('=')[1]!.split('.')[0]!);
    const secrets = [marker, candidate.email, candidate.name, candidate.password, employer.email, employer.name, employer.password, coverLetter, resumeUrl, 'wrong-password-x', sessionToken];
    for (const secret of secrets) {
      expect(output, `server output contains ${secret}`).not.toContain(secret);
      expect(spans, `exported spans contain ${secret}`).not.toContain(secret);
    }
  });
});

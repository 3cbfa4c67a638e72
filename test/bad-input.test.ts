// A user's mistake is a 4xx with a JSON error, never a 5xx and never HTML.
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, call, candidateEmployerAndJob, type Session, uniqueEmail, validApplication, validJob } from './support/api';

let candidate: Session;
let employer: Session;
let jobId: string;

beforeAll(async () => {
  ({ candidate, employer, jobId } = await candidateEmployerAndJob());
});

function expectJsonError(reply: { status: number; body: any; headers: Headers }, status: number, code?: string) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/application\/json/);
  expect(reply.body.error.message).toEqual(expect.any(String));
  if (code) expect(reply.body.error.code).toBe(code);
}

describe('bad input to the apply endpoint', () => {
  const apply = (options: Parameters<typeof call>[2]) => call('POST', `/api/jobs/${jobId}/applications`, { session: candidate, ...options });

  it('malformed JSON → 400 invalid_json', async () => expectJsonError(await apply({ body: '{"coverLetter": ', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json'));
  it('not JSON → 415', async () => expectJsonError(await apply({ body: 'coverLetter=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type'));
  it('no content type → 415', async () => expectJsonError(await apply({ body: '{}' }), 415));
  it('a body over 64 KiB → 413', async () => expectJsonError(await apply({ json: validApplication({ coverLetter: 'x'.repeat(70_000) }) }), 413, 'payload_too_large'));
  it('wrong types → 400 with field errors', async () => {
    const reply = await apply({ json: { coverLetter: 12345, resumeUrl: false } });
    expectJsonError(reply, 400, 'validation_failed');
    expect(Object.keys(reply.body.error.fields).sort()).toEqual(['coverLetter', 'resumeUrl']);
  });
  it('unknown fields → 400 naming them', async () => {
    const reply = await apply({ json: validApplication({ status: 'hired' }) });
    expectJsonError(reply, 400, 'validation_failed');
    expect(reply.body.error.fields.status).toEqual(['is not a known field']);
  });
  it('a cover letter of 49 characters → 400; a résumé that is not an http URL → 400', async () => {
    expectJsonError(await apply({ json: { coverLetter: 'x'.repeat(49) } }), 400);
    expectJsonError(await apply({ json: validApplication({ resumeUrl: 'ftp://cv.example/me.pdf' }) }), 400);
  });
  it('a JSON array or null body → 400', async () => {
    expectJsonError(await apply({ body: '[]', headers: { 'content-type': 'application/json' } }), 400);
    expectJsonError(await apply({ body: 'null', headers: { 'content-type': 'application/json' } }), 400);
  });
});

describe('bad input elsewhere', () => {
  it.each([
    ['limit=0'],
    ['limit=51'],
    ['limit=ten'],
    ['remote=maybe'],
    ['type=freelance'],
    ['cursor=not-a-cursor'],
    ['cursor=' + Buffer.from('["2026-01-01T00:00:00.000Z","1; DROP TABLE job"]').toString('base64url')],
    ['surprise=1'],
  ])('GET /api/jobs?%s → 400', async (qs) => expectJsonError(await call('GET', `/api/jobs?${qs}`), 400, 'validation_failed'));

  it('a very long search is refused politely, a strange one is just a search', async () => {
    expectJsonError(await call('GET', `/api/jobs?q=${'a'.repeat(201)}`), 400);
    const odd = await call('GET', `/api/jobs?q=${encodeURIComponent("%_'\\\") OR 1=1 --")}`);
    expect(odd.status).toBe(200);
    expect(odd.body.jobs).toEqual([]);
    // LIKE's wildcards in a search are characters, not patterns: '%' or '_' alone matches no seeded job
    // (a wildcard would have matched every one of them).
    for (const wildcard of ['%', '_', '%25']) {
      const reply = await call('GET', `/api/jobs?limit=5&q=${encodeURIComponent(wildcard)}`);
      expect(reply.status).toBe(200);
      expect(reply.body.jobs).toEqual([]);
    }
  });

  it('post a job with missing, wrong and extra fields → 400 naming each', async () => {
    const reply = await call('POST', '/api/jobs', { session: employer, json: { ...validJob({ remote: 'yes', salaryMin: 200, salaryMax: 100 }), title: undefined, perks: [] } });
    expectJsonError(reply, 400, 'validation_failed');
    expect(Object.keys(reply.body.error.fields)).toEqual(expect.arrayContaining(['title', 'remote', 'perks']));
  });

  it('PATCH with nothing to change → 400', async () => expectJsonError(await call('PATCH', `/api/jobs/${jobId}`, { session: employer, json: {} }), 400));

  it('sign-up with a bad email, short password or unknown role → 400 with field errors', async () => {
    const reply = await call('POST', '/api/auth/sign-up/email', { json: { name: 'X', email: 'not-an-email', password: 'short', role: 'admin' } });
    expectJsonError(reply, 400, 'validation_failed');
    expect(Object.keys(reply.body.error.fields).sort()).toEqual(['email', 'password', 'role']);
  });

  it.each([
    ['9 characters', 'Xk9#mQ2!z', 'Use at least 10 characters.'],
    ['129 characters', 'Xk9#mQ2!zv'.repeat(13).slice(0, 129), 'Use at most 128 characters.'],
    ['a common password', 'password123', 'This password is too easy to guess. This is a commonly used password.'],
    ['a variant of one', 'Football2024', 'This password is too easy to guess.'],
  ])('sign-up with %s → 400 saying why on the password field; no account is created', async (_label, password, why) => {
    const email = uniqueEmail('weak');
    const reply = await call('POST', '/api/auth/sign-up/email', { json: { name: 'Weak Password', email, password, role: 'candidate' } });
    expectJsonError(reply, 400, 'validation_failed');
    expect(Object.keys(reply.body.error.fields)).toEqual(['password']);
    expect(reply.body.error.fields.password[0]).toContain(why);
    expectJsonError(await call('POST', '/api/auth/sign-in/email', { json: { email, password: password.slice(0, 128) } }), 401);
  });

  it('sign-in with malformed JSON → 400; unknown account → 401', async () => {
    expectJsonError(await call('POST', '/api/auth/sign-in/email', { body: '{', headers: { 'content-type': 'application/json' } }), 400);
    expectJsonError(await call('POST', '/api/auth/sign-in/email', { json: { email: 'nobody@test.jobboard.test', password: 'whatever1' } }), 401);
  });

  it('an unknown API path → JSON 404', async () => expectJsonError(await call('GET', '/api/no/such/thing'), 404, 'not_found'));
});

// Postgres refuses NUL in text (this was a 500) and stores a lone surrogate as U+FFFD (silently
// changed data): both are the user's mistake, a 400 naming the field, and nothing is stored.
describe('text Postgres cannot store faithfully', () => {
  const NUL = 'Senior\u0000Engineer';
  const LONE = 'Senior \ud800 Engineer';
  const myApplications = async () => (await call('GET', '/api/me/applications', { session: candidate })).body.applications.length as number;
  const jobCount = async () => (await call('GET', `/api/jobs?limit=50&q=${encodeURIComponent('Senior')}`)).body.jobs.length as number;

  it.each([
    ['NUL', NUL, 'must not contain NUL'],
    ['a lone surrogate', LONE, 'must be valid Unicode text'],
  ])('%s in any field of any write → 400 naming the field; nothing stored', async (_label, text, message) => {
    const [applicationsBefore, jobsBefore] = await Promise.all([myApplications(), jobCount()]);
    for (const field of ['title', 'description', 'location']) {
      const reply = await call('POST', '/api/jobs', { session: employer, json: validJob({ [field]: field === 'description' ? text.repeat(4) : text }) });
      expectJsonError(reply, 400, 'validation_failed');
      expect(reply.body.error.fields[field]).toEqual([expect.stringContaining(message)]);
    }
    const tags = await call('POST', '/api/jobs', { session: employer, json: validJob({ tags: ['ok', text] }) });
    expect(tags.body.error.fields['tags.1']).toEqual([expect.stringContaining(message)]);
    expectJsonError(await call('PATCH', `/api/jobs/${jobId}`, { session: employer, json: { title: text } }), 400, 'validation_failed');
    expectJsonError(await call('POST', `/api/jobs/${jobId}/applications`, { session: candidate, json: validApplication({ coverLetter: text.repeat(5) }) }), 400, 'validation_failed');
    expectJsonError(await call('POST', '/api/auth/sign-up/email', { json: { name: text, email: uniqueEmail('nul'), password: 'correct horse battery', role: 'candidate' } }), 400, 'validation_failed');
    expectJsonError(await call('POST', '/api/auth/sign-in/email', { json: { email: `a${text}@test.jobboard.test`, password: 'whatever1' } }), 400, 'validation_failed');
    const key = await call('POST', '/api/jobs', { session: employer, json: { ...validJob(), [`x${text}`]: 1 } });
    expectJsonError(key, 400, 'validation_failed');
    expect(await myApplications()).toBe(applicationsBefore);
    expect(await jobCount()).toBe(jobsBefore);
  });

  it.each(['q', 'location', 'tag', 'cursor'])('NUL in ?%s → 400 on the API, and the page still renders', async (param) => {
    expectJsonError(await call('GET', `/api/jobs?${param}=a%00b`), 400, 'validation_failed');
    const page = await fetch(`${baseUrl()}/?${param}=a%00b`);
    expect(page.status).toBe(200);
  });

  it('a body that is not valid UTF-8 → 400 invalid_json', async () => {
    const raw = await fetch(`${baseUrl()}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: employer.cookie }, body: Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string; message: string } }).error).toEqual({ code: 'invalid_json', message: 'The body is not valid UTF-8.' });
  });
});

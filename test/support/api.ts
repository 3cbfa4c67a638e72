// A small JSON client for the integration tests, with a cookie jar per user.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { cookieHeader } from './cookies';

export const baseUrl = () => inject('baseUrl');

export type Session = { cookie: string; user: { id: string; name: string; email: string; role: string } };
export type Reply = { status: number; body: any; headers: Headers };

export async function call(
  method: string,
  path: string,
  options: { session?: Session | null; json?: unknown; body?: string; headers?: Record<string, string>; baseUrl?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.session) headers.cookie = options.session.cookie;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${options.baseUrl ?? baseUrl()}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // leave as text: the tests assert JSON where it matters
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** The password of every account signUp creates. */
export const TEST_PASSWORD = 'correct horse battery';

export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@test.jobboard.test`;

/** `baseUrl`: another server than the suite's (by default the one global-setup started). */
export async function signUp(role: 'candidate' | 'employer', extra: Record<string, unknown> = {}, { baseUrl }: { baseUrl?: string } = {}): Promise<Session> {
  const email = uniqueEmail(role);
  const reply = await call('POST', '/api/auth/sign-up/email', {
    baseUrl,
    json: { name: `${role} ${email.slice(role.length + 1, role.length + 9)}`, email, password: TEST_PASSWORD, role, ...extra },
  });
  if (reply.status !== 200) throw new Error(`sign-up failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { cookie: cookieHeader(reply.headers), user: reply.body.user };
}

export async function signIn(email: string, password: string): Promise<Reply & { session?: Session }> {
  const reply = await call('POST', '/api/auth/sign-in/email', { json: { email, password } });
  return reply.status === 200 ? { ...reply, session: { cookie: cookieHeader(reply.headers), user: reply.body.user } } : reply;
}

export const validJob = (overrides: Record<string, unknown> = {}) => ({
  title: 'Integration Test Engineer',
  description: 'Write tests that start the real server and talk to it over HTTP.',
  location: 'Berlin, Germany',
  remote: true,
  employmentType: 'full_time',
  salaryMin: 90_000,
  salaryMax: 120_000,
  currency: 'EUR',
  tags: ['testing', 'node'],
  ...overrides,
});

export const validApplication = (overrides: Record<string, unknown> = {}) => ({
  coverLetter: 'I have spent six years building and testing web services, and I would love to do that here.',
  resumeUrl: 'https://cv.example/me.pdf',
  ...overrides,
});

export async function postJob(session: Session, overrides: Record<string, unknown> = {}) {
  const reply = await call('POST', '/api/jobs', { session, json: validJob(overrides) });
  if (reply.status !== 201) throw new Error(`post job failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.job as { id: string; title: string; company: { id: string; name: string } };
}

/** A candidate, an employer, and an open job of that employer's: what most API suites start from. */
export async function candidateEmployerAndJob(): Promise<{ candidate: Session; employer: Session; jobId: string }> {
  const [candidate, employer] = await Promise.all([signUp('candidate'), signUp('employer')]);
  return { candidate, employer, jobId: (await postJob(employer)).id };
}

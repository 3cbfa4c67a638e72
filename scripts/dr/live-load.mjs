// What runs while the drill backs up and destroys the database: a canary row written straight to
// the database every 100 ms (sequence number, acknowledgement time), and through the app a steady
// mix of users — job list and job reads, candidates applying, an employer posting — plus a
// readiness probe. Every answer is kept with the phase it fell in, so the report can say what
// users saw before, during and after the disaster, and which acknowledged writes a restore must hold.
import pg from 'pg';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The canary table lives outside the app's schema; the drill creates it in the database it destroys. */
export async function createCanaryTable(client) {
  await client.query('CREATE TABLE IF NOT EXISTS dr_canary (seq bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT clock_timestamp())');
}

/** Inserts canary `seq` every `everyMs`, each with its own 2 s limit; `stop` waits for those in flight. */
export function startCanary(url, { everyMs = 100, firstSeq = 1 } = {}) {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 2_000, query_timeout: 2_000, statement_timeout: 2_000 });
  pool.on('error', () => {}); // a dropped database ends idle connections; each insert reports its own error
  const writes = [];
  const inFlight = new Set();
  let running = true;
  const t0 = Date.now();
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const entry = { seq: firstSeq + i, sentAt: Date.now(), ackAt: null, error: null };
      writes.push(entry);
      const insert = pool.query('INSERT INTO dr_canary (seq) VALUES ($1)', [entry.seq]).then(
        () => (entry.ackAt = Date.now()),
        (error) => (entry.error = error.code ?? error.message),
      );
      inFlight.add(insert);
      insert.finally(() => inFlight.delete(insert));
      await sleep(Math.max(0, t0 + (i + 1) * everyMs - Date.now()));
    }
  })();
  return {
    writes,
    async stop() {
      running = false;
      await loop;
      await Promise.allSettled(inFlight);
      await pool.end().catch(() => {});
    },
  };
}

async function call(base, pathname, { method = 'GET', body, cookie, timeoutMs = 5_000 } = {}) {
  const headers = { accept: 'application/json' };
  if (body) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${base}${pathname}`, { method, headers, body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as null
  }
  return { status: response.status, json, headers: response.headers };
}

/** Signs up a user and returns `{ id, email, password, cookie }`; throws on anything but 200. */
export async function signUp(base, { name, email, password, role = 'candidate', companyName }) {
  const response = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email, password, role, ...(companyName ? { companyName } : {}) }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json().catch(() => null);
  if (response.status !== 200) throw new Error(`sign-up of ${email} answered ${response.status}: ${JSON.stringify(body)}`);
  return { id: body.user.id, email, password, cookie: sessionCookie(response) };
}

export async function signIn(base, { email, password }) {
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, cookie: response.status === 200 ? sessionCookie(response) : null };
}

const sessionCookie = (response) => response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');

export async function applyTo(base, jobId, cookie, coverLetter) {
  return call(base, `/api/jobs/${jobId}/applications`, { method: 'POST', body: { coverLetter }, cookie });
}

export async function myApplications(base, cookie) {
  return call(base, '/api/me/applications', { cookie });
}

export async function openJobIds(base, max = 240) {
  const ids = [];
  let cursor = null;
  do {
    const page = await call(base, `/api/jobs?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (page.status !== 200) throw new Error(`GET /api/jobs answered ${page.status}`);
    ids.push(...page.json.jobs.map((job) => job.id));
    cursor = page.json.nextCursor;
  } while (cursor && ids.length < max);
  return ids;
}

/**
 * Users through the app, open-loop at fixed rates: reads (a few list and job URLs, repeated, so
 * the app has a last-known-good copy of each), applications by `candidates` (each to a new job)
 * and job posts by `employer`. `setBase` moves it to the app's new address; `setPhase` tags what follows.
 */
export function startAppLoad(base, { jobIds, candidates, employer, readsPerSecond = 10, appliesPerSecond = 4, postsPerSecond = 1 }) {
  const results = [];
  const readiness = [];
  const inFlight = new Set();
  let phase = 'before';
  let running = true;
  let applications = 0;
  const readPaths = ['/api/jobs?limit=20', '/api/jobs?limit=20&q=engineer', ...jobIds.slice(0, 3).map((id) => `/api/jobs/${id}`)];

  function send(kind, pathname, options = {}, extra = {}) {
    const entry = { kind, phase, sentAt: Date.now(), ackAt: null, status: 0, degraded: false, retryAfter: null, code: null, id: null, error: null, ...extra };
    results.push(entry);
    const request = call(base, pathname, options).then(
      ({ status, json, headers }) => {
        entry.ackAt = Date.now();
        entry.status = status;
        entry.degraded = json?.degraded === true;
        entry.retryAfter = headers.get('retry-after');
        entry.code = json?.error?.code ?? null;
        entry.id = json?.application?.id ?? json?.job?.id ?? null;
      },
      (error) => {
        entry.error = error.cause?.code ?? error.name ?? 'error';
      },
    );
    inFlight.add(request);
    request.finally(() => inFlight.delete(request));
  }

  const every = (perSecond, action) =>
    (async () => {
      const t0 = Date.now();
      for (let i = 0; running; i++) {
        action(i);
        await sleep(Math.max(0, t0 + ((i + 1) * 1000) / perSecond - Date.now()));
      }
    })();

  const loops = [
    every(readsPerSecond, (i) => send('read', readPaths[i % readPaths.length])),
    every(appliesPerSecond, () => {
      const n = applications++;
      const candidate = candidates[n % candidates.length];
      const jobId = jobIds[(Math.floor(n / candidates.length) + 1) % jobIds.length];
      send('apply', `/api/jobs/${jobId}/applications`, { method: 'POST', body: { coverLetter: `Drill application ${n}: a restore must bring back every acknowledged one of these.` }, cookie: candidate.cookie }, { candidateId: candidate.id });
    }),
    every(postsPerSecond, (i) =>
      send('post', '/api/jobs', {
        method: 'POST',
        cookie: employer.cookie,
        body: { title: `Drill job ${i}`, description: 'Posted during a disaster-recovery drill to prove no acknowledged write is lost.', location: 'Remote', remote: true, employmentType: 'contract', tags: ['drill'] },
      }),
    ),
    every(4, () => {
      const entry = { phase, at: Date.now(), status: 0 };
      readiness.push(entry);
      fetch(`${base}/api/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => (entry.status = response.status),
        () => (entry.status = 0),
      );
    }),
  ];

  return {
    results,
    readiness,
    setPhase: (next) => (phase = next),
    setBase: (next) => (base = next),
    async stop() {
      running = false;
      await Promise.all(loops);
      await Promise.allSettled(inFlight);
    },
  };
}

/** What users saw in one phase, per kind of request: `{ read: { '200': 12, '200 degraded': 40, '503': 2, … }, … }`. */
export function whatUsersSaw(results, phase) {
  const seen = {};
  for (const entry of results.filter((e) => e.phase === phase)) {
    const outcome = entry.error ? `no answer (${entry.error})` : `${entry.status}${entry.degraded ? ' degraded' : ''}${entry.status === 503 && entry.retryAfter ? ' + Retry-After' : ''}`;
    seen[entry.kind] ??= {};
    seen[entry.kind][outcome] = (seen[entry.kind][outcome] ?? 0) + 1;
  }
  return seen;
}

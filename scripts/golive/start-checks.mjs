// The checklist items that need the service's process and its database (`--start "<command>"
// --database-url <postgres-url>`): the verifier starts the command on a free PORT with its own
// fault proxy between the service and the database, then SIGTERMs it, hangs its database and
// refuses its database, and watches what the service does.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { startTcpProxy } from '../fault-proxy.mjs';
import { percentile, request } from './http.mjs';

const pass = (evidence) => ({ status: 'PASS', evidence });
const fail = (evidence) => ({ status: 'FAIL', evidence });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** "node dist/server.js --flag 'a b'" → ['node', 'dist/server.js', '--flag', 'a b']: no shell, so SIGTERM reaches the service. */
export function splitCommand(command) {
  const words = [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]);
  if (!words.length) throw new Error('--start needs a command');
  return words;
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(check, timeoutMs, intervalMs = 200) {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) return null;
    await sleep(intervalMs);
  }
}

/** Starts the command with PORT (and DATABASE_URL through a fault proxy); resolves once liveness and readiness answer 200. */
export async function startService(command, { databaseUrl, healthPath, readyPath, env = {}, timeoutMs = 120_000 }) {
  const port = await freePort();
  const proxy = databaseUrl ? await startTcpProxy({ host: new URL(databaseUrl).hostname, port: Number(new URL(databaseUrl).port || 5432) }) : null;
  const [file, ...args] = splitCommand(command);
  let output = '';
  const child = spawn(file, args, { env: { ...process.env, ...env, PORT: String(port), ...(proxy ? { DATABASE_URL: proxy.url(databaseUrl) } : {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const base = `http://127.0.0.1:${port}`;
  const ready = await until(async () => (await request(base, healthPath)).status === 200 && (await request(base, readyPath)).status === 200, timeoutMs, 250);
  const service = { base, child, proxy, exited, output: () => output, stop: async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await proxy?.close();
  } };
  if (ready === null) {
    await service.stop();
    throw new Error(`the service never became ready within ${timeoutMs / 1000} s (${healthPath} and ${readyPath} must answer 200); last output: ${output.slice(-400)}`);
  }
  return service;
}

/** 7. SIGTERM with requests in flight: readiness turns 503, liveness stays 200, every request completes 2xx, exit 0 in time. */
export async function checkGracefulShutdown(service, { slowPath, healthPath, readyPath, inFlight = 20, deadlineMs = 30_000, dbDelayMs = 1_500 }) {
  if (service.proxy) await service.proxy.setMode({ kind: 'latency', ms: dbDelayMs });
  const requests = Array.from({ length: inFlight }, (_, i) => request(service.base, `${slowPath}${slowPath.includes('?') ? '&' : '?'}q=golive-drain-${Date.now()}-${i}`, { timeoutMs: deadlineMs }).catch((error) => ({ status: `no answer (${error.cause?.code ?? error.message})` })));
  await sleep(300);
  const sentAt = Date.now();
  service.child.kill('SIGTERM');
  let readySeen503 = false;
  let liveAlways200 = true;
  const watching = (async () => {
    while (service.child.exitCode === null && service.child.signalCode === null && Date.now() - sentAt < deadlineMs) {
      const [ready, live] = await Promise.all([request(service.base, readyPath, { timeoutMs: 1_000 }).catch(() => null), request(service.base, healthPath, { timeoutMs: 1_000 }).catch(() => null)]);
      if (ready?.status === 503) readySeen503 = true;
      if (live && live.status !== 200) liveAlways200 = false;
      await sleep(100);
    }
  })();
  const replies = await Promise.all(requests);
  const exit = await Promise.race([service.exited, sleep(deadlineMs).then(() => null)]);
  await watching;
  service.proxy?.setMode({ kind: 'pass' });
  const cut = replies.filter((reply) => typeof reply.status !== 'number' || reply.status < 200 || reply.status > 299);
  const problems = [];
  if (cut.length) problems.push(`${cut.length} of ${inFlight} in-flight requests did not complete with 2xx (${[...new Set(cut.map((reply) => reply.status))].join(', ')})`);
  if (!exit) problems.push(`still running ${deadlineMs / 1000} s after SIGTERM`);
  else if (exit.code !== 0) problems.push(`exited with ${exit.code ?? exit.signal}, not 0`);
  if (!readySeen503) problems.push(`${readyPath} never answered 503 after SIGTERM`);
  if (!liveAlways200) problems.push(`${healthPath} stopped answering 200 before the process exited`);
  if (problems.length) return fail(problems.join('; '));
  return pass(`${inFlight}/${inFlight} in-flight requests 2xx, ${readyPath} 503 while draining, exit 0 after ${((exit.at - sentAt) / 1000).toFixed(1)} s`);
}

/** 8. Database hung: requests fail fast or serve a degraded answer, liveness stays 200, the process stays up, then it heals. */
export async function checkCircuitBreaker(service, { readPath, healthPath, settleMs = 45_000, healMs = 60_000, concurrency = 10 }) {
  if (!service.proxy) return { status: 'SKIP', evidence: 'needs --database-url (the verifier hangs the database through its proxy)' };
  await service.proxy.setMode({ kind: 'blackhole' });
  const started = Date.now();
  const fast = (reply) => reply.ms <= 100 || reply.json?.degraded === true || reply.headers.has('x-degraded');
  let recent = [];
  let livenessBad = null;
  // Rounds of concurrent requests, as live traffic would be: a breaker judges a rate of failures
  // among enough calls, which one request at a time never reaches.
  for (let round = 0; Date.now() - started < settleMs; round++) {
    const replies = await Promise.all(
      Array.from({ length: concurrency }, (_, i) =>
        request(service.base, `${readPath}${readPath.includes('?') ? '&' : '?'}q=golive-hang-${round}-${i}`, { timeoutMs: 15_000 }).catch((error) => ({ status: 0, ms: 15_000, headers: new Headers(), error })),
      ),
    );
    recent = [...recent, ...replies].slice(-20);
    const live = await request(service.base, healthPath, { timeoutMs: 2_000 }).catch(() => null);
    if (live?.status !== 200) livenessBad ??= `${healthPath} answered ${live?.status ?? 'nothing'} while the database hung`;
    if (recent.length === 20 && recent.every(fast)) break;
  }
  const p99 = percentile(recent.map((reply) => reply.ms), 99);
  await service.proxy.setMode({ kind: 'pass' });
  const alive = service.child.exitCode === null && service.child.signalCode === null;
  const healed = await until(async () => {
    const reply = await request(service.base, readPath);
    return reply.status === 200 && reply.json?.degraded !== true && !reply.headers.has('x-degraded');
  }, healMs, 500);
  const problems = [];
  if (!recent.every(fast)) problems.push(`with the database hung, requests still take p99 ${p99.toFixed(0)} ms after ${(settleMs / 1000).toFixed(0)} s and are not degraded: no circuit breaker on database calls`);
  if (livenessBad) problems.push(livenessBad);
  if (!alive) problems.push('the process exited while the database hung');
  if (healed === null) problems.push(`${readPath} did not serve fresh data within ${healMs / 1000} s of the database returning`);
  if (problems.length) return fail(problems.join('; '));
  return pass(`database hung: last 20 requests p99 ${p99.toFixed(0)} ms or degraded, liveness 200, process up; healed ${(healed / 1000).toFixed(1)} s after the database returned`);
}

/** 9. Readiness follows the database: 503 while it is refused, 200 after. */
export async function checkReadinessFollowsDependencies(service, { readyPath, timeoutMs = 30_000 }) {
  if (!service.proxy) return { status: 'SKIP', evidence: 'needs --database-url (the verifier refuses the database through its proxy)' };
  await service.proxy.setMode({ kind: 'refuse' });
  const down = await until(async () => (await request(service.base, readyPath, { timeoutMs: 3_000 })).status === 503, timeoutMs, 250);
  await service.proxy.setMode({ kind: 'pass' });
  const up = await until(async () => (await request(service.base, readyPath, { timeoutMs: 3_000 })).status === 200, timeoutMs, 250);
  if (down === null) return fail(`${readyPath} stayed ${(await request(service.base, readyPath)).status} for ${timeoutMs / 1000} s while the database refused connections`);
  if (up === null) return fail(`${readyPath} did not return to 200 within ${timeoutMs / 1000} s of the database coming back`);
  return pass(`${readyPath} 503 ${(down / 1000).toFixed(1)} s after the database refused, 200 ${(up / 1000).toFixed(1)} s after it returned`);
}

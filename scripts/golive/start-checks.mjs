// The checklist items that need the service's process and its database (`--start "<command>"
// --database-url <url>`): the verifier starts the command on a free PORT with its own fault proxy
// between the service and the database, then refuses and hangs the database and SIGTERMs the
// process, and watches what the service does. The proxy works at the TCP level, so any database
// (or any TCP dependency) can sit behind it.
import { spawn } from 'node:child_process';
import { startTcpProxy } from '../fault-proxy.mjs';
import { freePort } from '../launch-server.mjs';
import { firstAnswering, percentile, request } from './http.mjs';
import { fail, pass, skip } from './verdict.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const NO_READINESS = 'no readiness endpoint (see Readiness)';

/** "node dist/server.js --flag 'a b'" → ['node', 'dist/server.js', '--flag', 'a b']: no shell, so SIGTERM reaches the service itself. */
export function splitCommand(command) {
  const words = [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]);
  if (!words.length) throw new Error('--start needs a command');
  return words;
}

/** Polls `check` until it returns true; the milliseconds it took, or null at the timeout. */
export async function until(check, timeoutMs, intervalMs = 200) {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) return null;
    await sleep(intervalMs);
  }
}

/**
 * Starts the command with PORT (and DATABASE_URL through the fault proxy), waits for liveness to
 * answer 200 (else throws: nothing to judge), then for readiness up to `readyTimeoutMs`.
 * Resolves with the service and what was found: its health and ready paths, and whether it became ready.
 */
export async function startService(command, { databaseUrl, healthPaths, readyPaths, env = {}, liveTimeoutMs = 120_000, readyTimeoutMs = 60_000, log = () => {} }) {
  const port = await freePort();
  const target = databaseUrl ? new URL(databaseUrl) : null;
  const proxy = target ? await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) }) : null;
  const [file, ...args] = splitCommand(command);
  let output = '';
  const child = spawn(file, args, {
    env: { ...process.env, ...env, PORT: String(port), ...(proxy ? { DATABASE_URL: proxy.url(databaseUrl) } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => (output = (output + chunk).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error, at: Date.now() }));
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const base = `http://127.0.0.1:${port}`;
  const service = {
    base,
    child,
    proxy,
    exited,
    running,
    output: () => output,
    stop: async () => {
      if (running()) child.kill('SIGKILL');
      await exited;
      await proxy?.close();
    },
  };
  log(`starting ${command} on ${base}${proxy ? ` (database through the fault proxy on :${proxy.port})` : ''}`);
  let health = null;
  // Done when liveness answers 200, or when the process has exited (then there is nothing to wait for).
  await until(async () => {
    if (!running()) return true;
    health = await firstAnswering(base, healthPaths, { timeoutMs: 2_000 });
    return health?.reply.status === 200;
  }, liveTimeoutMs, 250);
  if (health?.reply.status !== 200 || !running()) {
    const exit = running() ? null : await exited;
    await service.stop();
    const why = exit ? `exited (${exit.error?.message ?? exit.code ?? exit.signal}) before answering` : `did not answer ${healthPaths.join(', ')} with 200 within ${liveTimeoutMs / 1000} s`;
    throw new Error(`the service ${why}; last output: ${output.slice(-600).trim() || '(none)'}`);
  }
  service.healthPath = health.path;
  const ready = await firstAnswering(base, readyPaths, { timeoutMs: 2_000 });
  service.readyPath = ready?.path ?? null;
  service.ready = false;
  if (service.readyPath) {
    let last = ready.reply;
    const became = await until(async () => {
      last = await request(base, service.readyPath, { timeoutMs: 3_000 });
      return last.status === 200;
    }, readyTimeoutMs, 250);
    service.ready = became !== null;
    service.notReadyBecause = service.ready ? null : `${service.readyPath} never answered 200 within ${readyTimeoutMs / 1000} s of start (last: ${last.status} ${last.text.slice(0, 160)})`;
  }
  log(`up: ${service.healthPath} 200, readiness ${service.readyPath ? (service.ready ? `${service.readyPath} 200` : 'never 200') : 'not found'}`);
  return service;
}

/**
 * 7. SIGTERM with requests in flight: readiness turns 503, liveness stays 200, every request
 * completes 2xx, exit 0 in time. The requests to `slowPath` stay in flight because the database
 * is slowed by `dbDelayMs` through the proxy, or (dbDelayMs 0) because the path is slow by itself.
 */
export async function checkGracefulShutdown(service, { slowPath, inFlight = 20, deadlineMs = 30_000, dbDelayMs = 800 }) {
  const slowDatabase = dbDelayMs > 0;
  if (slowDatabase && !service.proxy) return skip('needs --database-url (the verifier slows the database through its proxy) or --slow-path (a path slow by itself)');
  if (slowDatabase) await service.proxy.setMode({ kind: 'latency', ms: dbDelayMs });
  let sentAt = Infinity;
  const replies = Array.from({ length: inFlight }, () =>
    request(service.base, slowPath, { timeoutMs: deadlineMs }).then(
      (reply) => ({ ...reply, afterSigterm: Date.now() > sentAt }),
      (error) => ({ status: `no answer (${error.cause?.code ?? error.name})`, afterSigterm: true }),
    ),
  );
  await sleep(slowDatabase ? Math.min(300, dbDelayMs / 2) : 300);
  sentAt = Date.now();
  service.child.kill('SIGTERM');
  let ready503 = false;
  let liveBad = null;
  const watching = (async () => {
    while (service.running() && Date.now() - sentAt < deadlineMs) {
      const [ready, live] = await Promise.all([
        service.readyPath ? request(service.base, service.readyPath, { timeoutMs: 2_000 }).catch(() => null) : null,
        request(service.base, service.healthPath, { timeoutMs: 2_000 }).catch((error) => ({ status: `no answer (${error.cause?.code ?? error.name})` })),
      ]);
      if (ready?.status === 503) ready503 = true;
      // Once the listener closes, nothing answers: that is the end of draining, not a liveness failure.
      if (live.status !== 200 && service.running() && !/ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET/.test(String(live.status))) liveBad ??= `${service.healthPath} answered ${live.status} while draining`;
      await sleep(100);
    }
  })();
  const answers = await Promise.all(replies);
  const exit = await Promise.race([service.exited, sleep(Math.max(0, deadlineMs - (Date.now() - sentAt))).then(() => null)]);
  await watching;
  if (slowDatabase) await service.proxy.setMode({ kind: 'pass' });
  const cut = answers.filter((reply) => typeof reply.status !== 'number' || reply.status < 200 || reply.status > 299);
  const problems = [];
  const early = answers.filter((reply) => !reply.afterSigterm).length;
  if (early) problems.push(`${early} of ${inFlight} requests to ${slowPath} finished before SIGTERM, so they proved nothing about draining: ${slowDatabase ? 'give --read-path a read that queries the database' : '--slow-path must take longer than 300 ms'}`);
  if (cut.length) problems.push(`${cut.length} of ${inFlight} in-flight requests did not complete with 2xx (${[...new Set(cut.map((reply) => reply.status))].join(', ')})${exit?.signal === 'SIGTERM' ? ': SIGTERM killed the process, no handler drains it' : ''}`);
  if (!exit) problems.push(`still running ${deadlineMs / 1000} s after SIGTERM`);
  else if (exit.code !== 0) problems.push(`exited with ${exit.code ?? exit.signal}, not 0`);
  if (service.readyPath && !ready503 && exit?.code === 0) problems.push(`${service.readyPath} never answered 503 between SIGTERM and exit: the load balancer keeps routing to a stopping instance`);
  if (liveBad) problems.push(liveBad);
  if (problems.length) return fail(problems.join('; '));
  return pass(`SIGTERM with ${inFlight} requests in flight (${slowDatabase ? `database +${dbDelayMs} ms` : slowPath}): ${inFlight}/${inFlight} 2xx, ${service.readyPath ? `${service.readyPath} 503 while draining, ` : ''}${service.healthPath} 200, exit 0 after ${((exit.at - sentAt) / 1000).toFixed(1)} s`);
}

/** 8. Database hung: requests fail fast or degrade, liveness stays 200, the process stays up, then it heals without a restart. */
export async function checkCircuitBreaker(service, { readPath, settleMs = 45_000, healMs = 60_000, concurrency = 10, fastMs = 100 }) {
  if (!service.proxy) return skip('needs --database-url: the verifier hangs the database through its proxy');
  const baseline = await request(service.base, readPath).catch((error) => ({ status: `no answer (${error.name})` }));
  if (baseline.status !== 200) return fail(`GET ${readPath} answered ${baseline.status} with the database up, so fast answers under a hung database would prove nothing: give --read-path a read that queries the database`);
  await service.proxy.setMode({ kind: 'blackhole' });
  const hungAt = Date.now();
  // Once a breaker trips, every answer is fast: an error, or a degraded answer from a cache. A
  // fallback that still waits for the database's timeout on every request is not a breaker.
  const judged = (reply) => reply.ms <= fastMs;
  const degraded = (reply) => reply.json?.degraded === true || reply.headers?.has('x-degraded');
  let recent = [];
  let livenessBad = null;
  let rounds = 0;
  // Rounds of concurrent requests, as live traffic would send: a breaker judges a rate of
  // failures among enough calls, which one request at a time may never reach.
  while (Date.now() - hungAt < settleMs) {
    rounds++;
    const [replies, live] = await Promise.all([
      Promise.all(
        Array.from({ length: concurrency }, () => request(service.base, readPath, { timeoutMs: 10_000 }).catch((error) => ({ status: `no answer (${error.name})`, ms: 10_000 }))),
      ),
      request(service.base, service.healthPath, { timeoutMs: 2_000 }).catch((error) => ({ status: `no answer within 2 s (${error.name})` })),
    ]);
    recent = [...recent, ...replies].slice(-20);
    if (live.status !== 200) livenessBad ??= `${service.healthPath} answered ${live.status} while the database hung: liveness depends on the database, so the platform would restart every instance`;
    if (recent.length === 20 && recent.every(judged)) break;
  }
  const p99 = percentile(recent.map((reply) => reply.ms), 99);
  const statuses = [...new Set(recent.map((reply) => reply.status))].join(', ');
  await service.proxy.setMode({ kind: 'pass' });
  const alive = service.running();
  const healed = alive
    ? await until(async () => {
        const reply = await request(service.base, readPath);
        return reply.status === 200 && reply.json?.degraded !== true && !reply.headers.has('x-degraded');
      }, healMs, 500)
    : null;
  const problems = [];
  if (livenessBad) problems.push(livenessBad);
  if (!recent.every(judged)) problems.push(`no circuit breaker on database calls: with the database hung for ${((Date.now() - hungAt) / 1000).toFixed(0)} s, the last ${recent.length} requests to ${readPath} still took p99 ${p99.toFixed(0)} ms (answers: ${statuses}), not failing fast (≤ ${fastMs} ms)`);
  if (!alive) problems.push('the process exited while the database hung');
  else if (healed === null) problems.push(`${readPath} did not serve fresh data within ${healMs / 1000} s of the database returning: it does not heal without a restart`);
  if (problems.length) return fail(problems.join('; '));
  const served = recent.filter(degraded).length;
  return pass(`database hung: after ${rounds} rounds of ${concurrency}, the last 20 requests answered in p99 ${p99.toFixed(0)} ms (${statuses}; ${served} degraded from cache), ${service.healthPath} 200, process up; fresh data ${(healed / 1000).toFixed(1)} s after the database returned`);
}

/** 9. Readiness follows the database: 503 while it refuses connections, 200 after. */
export async function checkReadinessFollowsDependencies(service, { timeoutMs = 30_000 } = {}) {
  if (!service.proxy) return skip('needs --database-url: the verifier refuses the database through its proxy');
  if (!service.readyPath) return skip(NO_READINESS);
  if (!service.ready) return skip('the service never became ready (see Readiness)');
  await service.proxy.setMode({ kind: 'refuse' });
  let last = null;
  const down = await until(async () => (last = await request(service.base, service.readyPath, { timeoutMs: 3_000 })).status === 503, timeoutMs, 250);
  await service.proxy.setMode({ kind: 'pass' });
  const up = await until(async () => (await request(service.base, service.readyPath, { timeoutMs: 3_000 })).status === 200, timeoutMs, 250);
  if (down === null) return fail(`${service.readyPath} stayed ${last?.status ?? 'silent'} for ${timeoutMs / 1000} s while the database refused connections: readiness does not check the database`);
  if (up === null) return fail(`${service.readyPath} did not return to 200 within ${timeoutMs / 1000} s of the database coming back`);
  return pass(`${service.readyPath} 503 ${(down / 1000).toFixed(1)} s after the database refused connections, 200 ${(up / 1000).toFixed(1)} s after it returned`);
}

// A small fleet on this machine, shaped like production: HAProxy health-checking /api/readyz in
// front of app instances (dist/server.js) on fixed slots. HAProxy's check interval and timeout are
// fly.toml's own, so a rehearsal sees the rotation decisions the platform would make.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { asTheImageRuns } from '../bench/image-runtime.mjs';
import { launchContainer } from '../image/container.mjs';
import { freePort, launchServer } from '../launch-server.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const durationMs = (value) => {
  const [, n, unit] = String(value).match(/^([\d.]+)(ms|s|m)?$/) ?? [];
  if (n === undefined) throw new Error(`fly.toml: cannot read the duration ${JSON.stringify(value)}`);
  return Number(n) * (unit === 'ms' ? 1 : unit === 'm' ? 60_000 : 1000);
};

/**
 * The readiness check as fly.toml declares it, and what follows from it for HAProxy: the same
 * interval and timeout (so the same timeout/interval ratio), `fall`/`rise` consecutive results to
 * change a server's state, and the pre-stop delay an instance needs so that the balancer has
 * stopped routing to it before it stops accepting.
 */
export function checkTimingFromFlyToml(file = path.join(root, 'fly.toml')) {
  const fly = parseToml(readFileSync(file, 'utf8'));
  const check = (fly.http_service?.checks ?? []).find((c) => c.path === '/api/readyz');
  if (!check) throw new Error('fly.toml has no [[http_service.checks]] on /api/readyz');
  const intervalMs = durationMs(check.interval);
  const timeoutMs = durationMs(check.timeout);
  // The app's own readiness budget: its database check may take this long before it answers.
  const appBudgetMs = Number(fly.env?.READINESS_DB_TIMEOUT_MS ?? 1000);
  if (timeoutMs < appBudgetMs) throw new Error(`fly.toml: the readiness check timeout (${timeoutMs} ms) is stricter than the app's readiness budget (READINESS_DB_TIMEOUT_MS ${appBudgetMs} ms)`);
  const fall = 2;
  const rise = 2;
  // Fly's proxy sends a machine at most hard_limit requests at once and holds the rest itself.
  const hardLimit = Number(fly.http_service?.concurrency?.hard_limit ?? 0) || undefined;
  return { intervalMs, timeoutMs, appBudgetMs, fall, rise, hardLimit, prestopMs: fall * intervalMs + timeoutMs + 1000 };
}

/**
 * The flags REHEARSE_NODE_FLAGS adds, for a diagnosis (e.g. --trace-gc, which NODE_OPTIONS does not
 * allow), after the image's V8 flags that every instance (not a container) runs with
 * (asTheImageRuns): so that it collects garbage as one in production does. Without them V8 sized
 * the heap for this 24 GiB host (a rehearsal's heap reached 590 MB committed, and one mark-compact
 * 468 → 125 MB).
 */
export function diagnosticNodeFlags(extra = '') {
  return (extra ?? '').split(/\s+/).filter(Boolean);
}

/**
 * HAProxy's stats CSV (`/stats;csv`) as, per server of the `instances` backend that is in `ports`:
 * its status (UP, DOWN, …), whether HAProxy has checked it yet, its UP→DOWN transitions so far,
 * its timings and current sessions.
 */
export function parseServerStats(csv, ports) {
  const [headerLine, ...lines] = csv.trim().split('\n');
  const header = headerLine.replace(/^# /, '').split(',');
  const col = (cells, name) => cells[header.indexOf(name)];
  return Object.fromEntries(
    lines
      .map((line) => line.split(','))
      .filter((cells) => cells[0] === 'instances' && ports[cells[1]])
      .map((cells) => [
        cells[1],
        {
          status: col(cells, 'status'),
          // HAProxy (2.6) shows a server it has not checked yet as UP, with check_status INI.
          checked: !(col(cells, 'check_status') ?? '').includes('INI'),
          chkdown: Number(col(cells, 'chkdown')),
          // HAProxy's averages over the last 1024 requests (ms): queued in HAProxy, connecting, first byte, total.
          qtime: Number(col(cells, 'qtime')),
          ctime: Number(col(cells, 'ctime')),
          rtime: Number(col(cells, 'rtime')),
          ttime: Number(col(cells, 'ttime')),
          scur: Number(col(cells, 'scur')),
        },
      ]),
  );
}

/**
 * `image`: run each instance as a container of that image (scripts/image/container.mjs) instead of
 * a dist/server.js process; the fleet and the rehearsal are otherwise the same.
 */
export async function startFleet({ slots, databaseUrl, image = null, logDir = mkdtempSync(path.join(os.tmpdir(), 'rehearse-')) }) {
  const timing = checkTimingFromFlyToml();
  const [lbPort, statsPort, ...slotPorts] = await Promise.all(Array.from({ length: 2 + slots.length }, () => freePort()));
  const ports = Object.fromEntries(slots.map((slot, i) => [slot, slotPorts[i]]));
  const config = `global
  maxconn 8000
defaults
  mode http
  # Connections per frontend: high enough that HAProxy never holds clients back itself.
  maxconn 6000
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout check ${timing.timeoutMs}ms
  # Requests held by HAProxy while every instance has hard_limit in flight (as Fly's proxy holds them).
  timeout queue 10s
  retries 2
  option redispatch
frontend app
  bind 127.0.0.1:${lbPort}
  default_backend instances
backend instances
  # Fly's proxy sends each request to the least loaded machine (by concurrency), not in turn:
  # leastconn is HAProxy's equivalent. A slow instance (cold, or sharing a core) gets less.
  balance leastconn
  # A pool of connections to each instance, reused for any client (as a proxy in front of a fleet
  # keeps one), rather than a new connection per new client landing in the instance's accept queue.
  http-reuse always
  option httpchk GET /api/readyz
  http-check expect status 200
  # Which instance answered; HAProxy's own answers (no server available, timeouts) never carry it.
  http-response set-header X-Served-By %[srv_name]
  default-server inter ${timing.intervalMs}ms fall ${timing.fall} rise ${timing.rise}${timing.hardLimit ? ` maxconn ${timing.hardLimit}` : ''}
${slots.map((slot) => `  server ${slot} 127.0.0.1:${ports[slot]} check`).join('\n')}
listen stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`;
  writeFileSync(path.join(logDir, 'haproxy.cfg'), config);
  const haproxy = spawn('haproxy', ['-f', path.join(logDir, 'haproxy.cfg'), '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let haproxyLog = '';
  haproxy.stderr.on('data', (chunk) => (haproxyLog += chunk));
  const lb = `http://127.0.0.1:${lbPort}`;

  /** Per slot: HAProxy's status (UP, DOWN, …), UP→DOWN transitions so far, its timings and current sessions. */
  async function servers() {
    return parseServerStats(await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`, { signal: AbortSignal.timeout(2_000) })).text(), ports);
  }
  async function waitForStatus(slot, wanted, timeoutMs) {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      // Only a status HAProxy has checked: read before the first check, an instance not yet
      // listening passed for UP (a CI run sent its first requests to a fleet with none in rotation).
      const server = (await servers().catch(() => ({})))[slot];
      if (server?.checked && server.status.startsWith(wanted)) return true;
      await sleep(100);
    }
    return false;
  }

  const instances = {};
  // What the platform would do to stop an instance: fly.toml's kill_timeout before SIGKILL.
  const killTimeoutS = Number(parseToml(readFileSync(path.join(root, 'fly.toml'), 'utf8')).kill_timeout ?? 30);
  const { env: imageEnv, nodeFlags: imageFlags } = asTheImageRuns();
  const nodeFlags = [...imageFlags, ...diagnosticNodeFlags(process.env.REHEARSE_NODE_FLAGS)];
  function startInstance(slot, env = {}) {
    if (image) return startContainer(slot, env);
    const { child, exited, output } = launchServer({
      cwd: root,
      argv: [...nodeFlags, 'dist/server.js'],
      env: {
        // NODE_ENV as the image sets it, as the tests and the benches start the server.
        ...imageEnv,
        DATABASE_URL: databaseUrl,
        APP_ENV: 'test',
        PORT: String(ports[slot]),
        HOSTNAME: '127.0.0.1',
        APP_URL: lb,
        // REHEARSE_LOG_LEVEL=info keeps every request's log line (rehearsal logs are written to logDir).
        LOG_LEVEL: process.env.REHEARSE_LOG_LEVEL ?? 'warn',
        PRESTOP_DELAY_MS: String(timing.prestopMs),
        READINESS_DB_TIMEOUT_MS: String(timing.appBudgetMs),
        NEXT_TELEMETRY_DISABLED: '1',
        // The workload is a few dozen users behind one IP: per-IP limits would only measure themselves.
        RATE_LIMIT_API: '100000000/1m',
        RATE_LIMIT_SIGN_UP: '100000/1h',
        RATE_LIMIT_APPLY: '100000/1h',
        ...env,
      },
    });
    instances[slot] = {
      child,
      exited,
      url: `http://127.0.0.1:${ports[slot]}`,
      output,
      /** SIGTERM; resolves with the exit code. */
      terminate: () => {
        child.kill('SIGTERM');
        return exited;
      },
      kill: () => child.kill('SIGKILL'),
    };
    return instances[slot];
  }

  function startContainer(slot, env) {
    const container = launchContainer({
      image,
      name: `jobboard-rehearse-${slot}-${process.pid}`,
      env: {
        // The image's ENV (production) plus what the platform sets: secrets and the fleet's settings.
        DATABASE_URL: databaseUrl,
        PORT: String(ports[slot]),
        HOSTNAME: '127.0.0.1',
        APP_URL: lb,
        BETTER_AUTH_SECRET: 'rehearsal-secret-0123456789abcdef0123456789',
        LOG_LEVEL: process.env.REHEARSE_LOG_LEVEL ?? 'warn',
        PRESTOP_DELAY_MS: String(timing.prestopMs),
        READINESS_DB_TIMEOUT_MS: String(timing.appBudgetMs),
        RATE_LIMIT_API: '100000000/1m',
        RATE_LIMIT_SIGN_UP: '100000/1h',
        RATE_LIMIT_APPLY: '100000/1h',
        ...env,
      },
    });
    instances[slot] = {
      child: container.child,
      exited: container.exited,
      url: `http://127.0.0.1:${ports[slot]}`,
      output: container.output,
      container,
      terminate: () => container.terminate(killTimeoutS),
      kill: () => container.remove(),
    };
    return instances[slot];
  }

  /**
   * On a platform a new instance starts on a machine of its own; here it shares the cores with the
   * ones serving. Until it joins rotation it runs at a lower CPU priority, so that its start-up
   * (Next, warm-up) does not slow the serving instances down as it never would on Fly; `joined`
   * gives it the normal priority back (which needs root; otherwise it stays lower, and says so).
   */
  function startInstanceOnItsOwnMachine(slot, env = {}) {
    const instance = startInstance(slot, env);
    if (instance.container) {
      // A container's CPU weight (cgroup shares) is the container's equivalent of a nice value.
      const lowered = instance.container.setCpuShares(256);
      instance.joined = async () => {
        if (!(await lowered) || !(await instance.container.setCpuShares(1024))) console.log(`  (${slot}: the engine could not change its CPU weight; it ran at the default)`);
      };
      return instance;
    }
    try {
      os.setPriority(instance.child.pid, 10);
    } catch {
      // not supported here: it starts at normal priority
    }
    instance.joined = () => {
      try {
        os.setPriority(instance.child.pid, 0);
      } catch (error) {
        console.log(`  (${slot} keeps a lower CPU priority: ${error.code ?? error.message})`);
      }
    };
    return instance;
  }

  async function stop() {
    for (const instance of Object.values(instances)) if (instance.child.exitCode === null) instance.kill();
    haproxy.kill('SIGTERM');
    await Promise.all(Object.values(instances).map((instance) => instance.exited));
    for (const [slot, instance] of Object.entries(instances)) writeFileSync(path.join(logDir, `${slot}.log`), instance.output());
    writeFileSync(path.join(logDir, 'haproxy.log'), haproxyLog);
  }

  return { lb, logDir, timing, nodeFlags: image ? null : nodeFlags, instances, haproxyPid: haproxy.pid, startInstance, startInstanceOnItsOwnMachine, servers, waitForStatus, haproxyLog: () => haproxyLog, stop };
}

/** Runs a rehearsal on `fleet`: exits with what `body` returns (1 if it throws), the fleet stopped and its logs kept. */
export async function rehearse(fleet, body) {
  let exitCode = 1;
  try {
    exitCode = await body();
  } catch (error) {
    console.error(`rehearsal error: ${error.stack ?? error.message}\n${fleet.haproxyLog()}`);
  } finally {
    await fleet.stop();
    console.log(`logs of HAProxy and each instance: ${fleet.logDir}`);
  }
  process.exit(exitCode);
}

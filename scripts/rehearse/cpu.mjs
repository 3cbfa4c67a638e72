// Where a rehearsal's CPU went: the instances, HAProxy, the load generator (this process) and the
// Postgres processes on this machine. On the platform the balancer and the clients are not on the
// instances' machines; here all of them share two cores, and what the harness takes grows with the
// rate it sends. Snapshots are taken at phase boundaries (a /proc scan each, a few ms); Linux only.
import { readdirSync, readFileSync } from 'node:fs';
import { cpuTimeMs } from '../bench/server.mjs';

/** CPU ms so far of every process named `postgres` (the postmaster and its backends), by PID. */
function postgresCpuByPid() {
  const byPid = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue; // exited since the listing
    }
    const ms = cpuTimeMs(pid);
    if (ms !== undefined) byPid.set(pid, ms);
  }
  return byPid;
}

/** The machine's idle time so far (idle + iowait of every CPU, /proc/stat), in ms at USER_HZ 100. */
function machineIdleMs() {
  const [idle, iowait] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(4, 6).map(Number);
  return ((idle + iowait) * 1000) / 100;
}

/** `pids`: group name → PID (instances by slot, `haproxy`, `generator`). */
export function cpuSnapshot(pids) {
  return {
    at: performance.now(),
    idleMs: machineIdleMs(),
    groups: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuTimeMs(pid) ?? Number.NaN])),
    postgres: postgresCpuByPid(),
  };
}

/**
 * Cores used per group between two snapshots (CPU ms / wall ms). A Postgres backend started in
 * between counts from zero; one that exited in between is not counted (the pool keeps them).
 */
export function coresBetween(from, to) {
  const wallMs = to.at - from.at;
  const cores = Object.fromEntries(Object.entries(to.groups).map(([name, ms]) => [name, (ms - from.groups[name]) / wallMs]));
  let postgresMs = 0;
  for (const [pid, ms] of to.postgres) postgresMs += ms - (from.postgres.get(pid) ?? 0);
  cores.postgres = postgresMs / wallMs;
  // Cores of the machine left idle in between (none of the above, nor anything else, wanted them).
  return { wallMs, cores, idleCores: (to.idleMs - from.idleMs) / wallMs };
}

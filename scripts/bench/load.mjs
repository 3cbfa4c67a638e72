// A small closed-loop load generator for the benchmarks: `concurrency` workers, each sending
// the next request when the previous one answers, for `durationMs`. Loopback only.
export async function runLoad({ url, concurrency = 16, durationMs = 5_000, init }) {
  const latencies = [];
  let errors = 0;
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const response = await fetch(url, init);
        await response.arrayBuffer();
        if (response.status >= 500) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { requests: latencies.length, errors, rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Uses wrk (much lighter than a Node client on a small machine) when it is installed; `cpu` pins it (taskset). */
export async function runLoadPreferWrk({ url, concurrency = 16, durationMs = 5_000, cpu }) {
  const { spawnSync } = await import('node:child_process');
  if (spawnSync('wrk', ['--version']).error) return runLoad({ url, concurrency, durationMs });
  return runWrk({ url, concurrency, durationMs, cpu });
}

/**
 * One wrk run (closed loop, one thread), without blocking this process, so several can run at
 * once. `script`: a wrk Lua script (e.g. one that builds POST requests). `cpu` pins wrk (taskset).
 */
export async function runWrk({ url, concurrency = 16, durationMs = 5_000, cpu, script }) {
  const { spawn } = await import('node:child_process');
  const seconds = Math.max(1, Math.round(durationMs / 1000));
  const wrk = ['wrk', '-t', '1', '-c', String(concurrency), '-d', `${seconds}s`, '--timeout', '10s', '--latency', ...(script ? ['-s', script] : []), url];
  const [command, ...args] = cpu === undefined ? wrk : ['taskset', '-c', String(cpu), ...wrk];
  const out = await new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    child.once('error', reject);
    child.once('close', () => resolve(text));
  });
  return parseWrk(out);
}

export function parseWrk(out) {
  const ms = (text) => {
    const [, value, unit] = text.match(/([\d.]+)(us|ms|s)/) ?? [];
    return Number(value) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);
  };
  const requests = Number(out.match(/(\d+) requests in/)?.[1] ?? 0);
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socketErrors = (out.match(/Socket errors: (.*)/)?.[1] ?? '').match(/\d+/g)?.reduce((sum, n) => sum + Number(n), 0) ?? 0;
  return {
    requests,
    errors: non2xx + socketErrors,
    rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? 0),
    p50: ms(out.match(/^\s+50%\s+(\S+)/m)?.[1] ?? ''),
    p99: ms(out.match(/^\s+99%\s+(\S+)/m)?.[1] ?? ''),
    tool: 'wrk',
  };
}

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

// One HTTP request with an explicit timeout, read whole: what every go-live check sends.
export const REQUEST_TIMEOUT_MS = 5_000;

export async function request(base, path, { method = 'GET', headers = {}, body, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const started = performance.now();
  const response = await fetch(new URL(path, base), { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json, ms: performance.now() - started };
}

/** The first of `paths` that answers something other than 404, or null. */
export async function firstAnswering(base, paths, options) {
  for (const path of paths) {
    const reply = await request(base, path, options).catch(() => null);
    if (reply && reply.status !== 404) return { path, reply };
  }
  return null;
}

export const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

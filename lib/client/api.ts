// Browser-side JSON calls to our own API; returns the API's error shape instead of throwing.
export type ApiError = { code: string; message: string; fields?: Record<string, string[]>; retryAfter?: number };
export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ApiError };

export async function sendJson<T>(url: string, body: unknown, method = 'POST'): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, status: 0, error: { code: 'network_error', message: 'Could not reach the server. Check your connection and try again.' } };
  }
  const payload = (await response.json().catch(() => null)) as { error?: ApiError } | null;
  if (response.ok) return { ok: true, data: payload as T };
  const retryAfter = Number(response.headers.get('retry-after')) || undefined;
  const error = payload?.error ?? { code: 'http_error', message: `The server answered ${response.status}.` };
  if (response.status === 429 && retryAfter) {
    error.message = `Too many attempts. Try again in ${formatWait(retryAfter)}.`;
  }
  return { ok: false, status: response.status, error: { ...error, retryAfter } };
}

export function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

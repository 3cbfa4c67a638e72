// CSRF defence for the API, on top of the session cookie's SameSite=Lax: a request that changes
// state must come from our own pages. Browsers say where a request comes from in two headers a
// page cannot forge: Sec-Fetch-Site (all current browsers) and Origin (every cross-origin request,
// and every POST). A request with neither is not from a browser, so it cannot carry a victim's
// cookies without the victim's own client sending them: it is let through.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why this request must be refused as cross-site, or null when it may proceed. Same origin means
 * the Origin equals the public URL's origin (APP_URL) or names the host the request was sent to
 * (so http://127.0.0.1:3000 and http://localhost:3000 both work on a developer's machine).
 */
export function crossSiteWriteReason(method: string, headers: Headers, appUrl: string): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const fetchSite = headers.get('sec-fetch-site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') return `Sec-Fetch-Site is ${fetchSite}`;
  const origin = headers.get('origin');
  if (origin === null) return null;
  if (origin === 'null') return 'Origin is null (a sandboxed or privacy-sensitive context)';
  let sender: URL;
  try {
    sender = new URL(origin);
  } catch {
    return `Origin ${origin.slice(0, 100)} is not a URL`;
  }
  if (sender.origin === new URL(appUrl).origin) return null;
  const hosts = [headers.get('x-forwarded-host'), headers.get('host')].filter(Boolean);
  if (hosts.includes(sender.host)) return null;
  return `Origin ${sender.origin} is not this site`;
}

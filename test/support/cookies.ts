/** The `Cookie` header a browser would send back after this response: name=value of each Set-Cookie. */
export function cookieHeader(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

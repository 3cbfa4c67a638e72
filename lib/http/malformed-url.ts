// A path whose percent-encoding does not decode ("/api/jobs/%E0%A4%A") made Next answer a bare
// 500 "Internal Server Error": it is the caller's mistake, so our server answers 400 in the API's
// JSON error shape before Next sees it. (Query strings are decoded leniently by URLSearchParams.)
import type http from 'node:http';
import { writeJson } from './write-json';

export function hasMalformedPath(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  if (!path.includes('%')) return false; // every request passes here: most paths have nothing to decode
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** Answers a request whose path does not decode; false (and nothing written) for any other. */
export function refuseMalformedPath(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (!hasMalformedPath(req.url ?? '/')) return false;
  writeJson(res, 400, { error: { code: 'bad_request', message: 'The URL is not valid: its percent-encoding does not decode as UTF-8.' } });
  return true;
}

// Tracks the requests the server is working on, so that shutdown can wait for them and name
// the ones still running when the deadline passes.
import type http from 'node:http';

export type InFlightRequest = { method: string; path: string; startedAt: number; res: http.ServerResponse };

export function createInFlightTracker() {
  const requests = new Set<InFlightRequest>();
  let onIdle: (() => void) | undefined;
  return {
    track(req: http.IncomingMessage, res: http.ServerResponse) {
      // The path only: query strings can carry personal data and do not belong in logs.
      const entry = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?', 1)[0]!, startedAt: Date.now(), res };
      requests.add(entry);
      const done = () => {
        if (!requests.delete(entry)) return;
        if (requests.size === 0) onIdle?.();
      };
      res.once('finish', done);
      res.once('close', done);
    },
    get size() {
      return requests.size;
    },
    list(now = Date.now()) {
      return [...requests].map((entry) => ({ method: entry.method, route: entry.path, age_ms: now - entry.startedAt }));
    },
    /** Responses not yet started will ask the client to close the connection. */
    markAllConnectionClose() {
      for (const entry of requests) if (!entry.res.headersSent) entry.res.setHeader('Connection', 'close');
    },
    idle(): Promise<void> {
      if (requests.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        onIdle = resolve;
      });
    },
  };
}
export type InFlightTracker = ReturnType<typeof createInFlightTracker>;

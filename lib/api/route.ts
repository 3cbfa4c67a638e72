import 'server-only';
// Wraps a route handler once so auth and error handling live in one place:
//   export const POST = apiRoute('/api/jobs', async ({ request, actor }) => ...)
import { actorFromHeaders } from '../auth/session';
import type { Actor } from '../auth/actor';
import { toErrorResponse } from './respond';

type Context<P> = { request: Request; actor: Actor; params: P };

export function apiRoute<P = Record<string, never>>(
  route: string,
  handler: (context: Context<P>) => Promise<Response>,
) {
  return async (request: Request, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      const actor = await actorFromHeaders(request.headers);
      const params = (await segment?.params) ?? ({} as P);
      return await handler({ request, actor, params });
    } catch (error) {
      return toErrorResponse(error, route);
    }
  };
}

export function json(body: unknown, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has('cache-control')) headers.set('Cache-Control', 'no-store');
  return Response.json(body, { ...init, headers });
}

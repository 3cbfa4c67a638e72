import 'server-only';
// Wraps a route handler once so auth and error handling live in one place. The route's template
// and business operation come from its declaration (lib/http/api-routes.ts):
//   export const POST = apiRoute(declaredRoute('POST', '/api/jobs'), async ({ request, actor }) => ...)
import { actorFromHeaders } from '../auth/session';
import type { ApiRoute } from '../http/api-routes';
import type { Actor } from '../auth/actor';
import { annotate, annotateUser, type Outcome, withOperation } from '../telemetry/operation';
import { toErrorResponse } from './respond';
import { jsonResponse } from '../http/json-response';

/** For handlers that answer errors themselves instead of throwing. */
export function outcomeOfResponse(response: Response): Outcome {
  if (response.ok) return response.status === 201 ? 'created' : 'ok';
  if (response.status === 401 || response.status === 403) return 'unauthorized';
  if (response.status === 404) return 'not_found';
  if (response.status === 409) return 'duplicate';
  if (response.status === 429) return 'rate_limited';
  return response.status >= 500 ? 'error' : 'invalid';
}

type Context<P> = { request: Request; actor: Actor; params: P };
type Success = Outcome | ((response: Response) => Outcome);
type Options = { success?: Success };

/** Runs a handler inside its business span (if named) with the one error-to-HTTP mapping. */
async function respond(route: string, run: () => Promise<Response>, operation: string | null, success: Success = outcomeOfResponse): Promise<Response> {
  try {
    return operation ? await withOperation(operation, run, success) : await run();
  } catch (error) {
    return toErrorResponse(error, route);
  }
}

/** For handlers that need no actor (sign-in, sign-up): the business span and error mapping only. */
export function operationRoute(route: ApiRoute, handler: (request: Request) => Promise<Response>) {
  return (request: Request): Promise<Response> => respond(route.path, () => handler(request), route.operation);
}

/** The declaration's operation names the business span that covers auth, validation and the domain call. */
export function apiRoute<P = Record<string, never>>(
  route: ApiRoute,
  handler: (context: Context<P>) => Promise<Response>,
  options: Options = {},
) {
  return async (request: Request, segment: { params: Promise<P> }): Promise<Response> => {
    const run = async () => {
      const params = (await segment?.params) ?? ({} as P);
      const jobId = (params as { id?: unknown }).id;
      if (typeof jobId === 'string') annotate({ 'app.job.id': jobId });
      // A write checks the session in the database: a signed-out session cannot change anything.
      const actor = await actorFromHeaders(request.headers, { revocationChecked: request.method !== 'GET' && request.method !== 'HEAD' });
      annotateUser(actor?.userId);
      return handler({ request, actor, params });
    };
    return respond(route.path, run, route.operation, options.success);
  };
}

/** Every answer of the API is personal or changes by the second: never cached unless a route says so. */
export const json = jsonResponse;

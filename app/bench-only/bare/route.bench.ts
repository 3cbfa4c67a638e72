// Bench build only (NEXT_BENCH_BUILD=1): the framework's own cost, a route handler that returns a
// constant JSON page. Its path is excluded from proxy.ts's matcher, so no proxy runs for it.
import { BENCH_PAYLOAD } from '../bench-payload';

export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(BENCH_PAYLOAD);
}

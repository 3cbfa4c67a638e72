// Bench build only (NEXT_BENCH_BUILD=1): the same bare handler under /api, so it is reached the
// way every API read is (rate limit included); the difference from /bench-only/bare is what the
// request path adds before a route runs.
import { BENCH_PAYLOAD } from '../../../bench-only/bench-payload';

export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(BENCH_PAYLOAD);
}

// The bench build's bare routes (`route.bench.ts`, scripts/bench/run.mjs) answer this. `npm run
// bench` writes what GET /api/jobs?limit=20 answered on one of its own servers to a file and
// names it in BENCH_PAYLOAD_FILE, so that the bare route (and the raw node:http server, which copies
// the bare route) serialise exactly the bytes the real route does: the ratio then measures what
// the real route does beyond Next, not a smaller payload. Without the file (a bench build started
// by hand), a page of the same shape. Not imported by the product (no `route.ts` uses it).
import { readFileSync } from 'node:fs';

const DESCRIPTION = 'Build and run the services that keep a busy job board fast and honest under load. '.repeat(6);

function samePage() {
  return {
    jobs: Array.from({ length: 20 }, (_, i) => ({
      id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      title: `Senior Platform Engineer ${i}`,
      description: DESCRIPTION,
      location: i % 3 === 0 ? 'Remote' : 'Berlin, Germany',
      remote: i % 3 === 0,
      employmentType: 'full_time',
      salaryMin: 70_000 + i * 1_000,
      salaryMax: 90_000 + i * 1_000,
      currency: 'EUR',
      tags: ['typescript', 'postgres', 'sre'],
      status: 'open',
      createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      updatedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      company: { id: `00000000-0000-7000-8000-c0000000000${i % 5}`, name: `Company ${i % 5}`, website: `https://company-${i % 5}.example` },
    })),
    nextCursor: 'WyIyMDI2LTAxLTAxVDAwOjAwOjAwLjAwMFoiLCIwMDAwMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDAiXQ',
  };
}

export const BENCH_PAYLOAD: unknown = process.env.BENCH_PAYLOAD_FILE ? JSON.parse(readFileSync(process.env.BENCH_PAYLOAD_FILE, 'utf8')) : samePage();

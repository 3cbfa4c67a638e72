// The bench build's bare routes (`route.bench.ts`, scripts/bench/run.mjs) answer this: a page of
// 20 jobs shaped like GET /api/jobs?limit=20, built once, serialised on every request as
// Response.json does. Not imported by the product (no `route.ts` uses it).
const DESCRIPTION = 'Build and run the services that keep a busy job board fast and honest under load. '.repeat(2);

export const BENCH_PAYLOAD = {
  jobs: Array.from({ length: 20 }, (_, i) => ({
    id: `bench-job-${String(i).padStart(4, '0')}-0000-0000-000000000000`,
    title: `Senior Platform Engineer ${i}`,
    description: DESCRIPTION,
    location: i % 3 === 0 ? 'Remote' : 'Berlin',
    remote: i % 3 === 0,
    employmentType: 'full_time',
    salaryMin: 70_000 + i * 1_000,
    salaryMax: 90_000 + i * 1_000,
    tags: ['typescript', 'postgres', 'sre'],
    company: { id: `bench-company-${i % 5}`, name: `Company ${i % 5}` },
    createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
  })),
  nextCursor: 'bench-cursor',
  degraded: false,
};

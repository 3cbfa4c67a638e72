import Link from 'next/link';
import { listOpenJobs } from '@/lib/jobs/list-jobs';
import { EMPLOYMENT_TYPES } from '@/lib/jobs/employment-types';
import { listJobsQuerySchema } from '@/lib/jobs/schemas';
import { DomainError } from '@/lib/errors';
import { isDatabaseUnavailable } from '@/lib/resilience/policy';
import { JobCard } from './components/job-card';
import { DegradedBanner } from './components/degraded-banner';
import { employmentTypeLabel } from './components/format';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function firstValues(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of ['q', 'location', 'remote', 'type', 'tag', 'cursor']) {
    const value = params[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (first) result[key] = first;
  }
  return result;
}

export default async function JobsPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = firstValues(await searchParams);
  const parsed = listJobsQuerySchema.safeParse(raw);
  let page = null;
  let problem: string | null = null;
  if (parsed.success) {
    try {
      page = await listOpenJobs(parsed.data);
    } catch (error) {
      if (error instanceof DomainError) problem = error.message;
      else if (isDatabaseUnavailable(error)) problem = 'Jobs are temporarily unavailable. Please try again in a moment.';
      else throw error;
    }
  } else {
    problem = 'Some filters are not valid; showing nothing until they are fixed.';
  }
  const next = page?.nextCursor ? `/?${new URLSearchParams({ ...raw, cursor: page.nextCursor })}` : null;
  const filtered = Object.keys(raw).some((key) => key !== 'cursor');

  return (
    <div className="space-y-6">
      <section>
        <h1 className="text-2xl font-semibold tracking-tight">Find your next role</h1>
        <p className="mt-1 text-sm text-slate-600">Open jobs from companies hiring now. Search by title, company, skill or description.</p>
      </section>
      <form action="/" method="get" role="search" className="card grid gap-3 md:grid-cols-6">
        <input name="q" defaultValue={raw.q} placeholder="Search jobs, companies, skills…" aria-label="Search" className="input md:col-span-2" />
        <input name="location" defaultValue={raw.location} placeholder="Location" aria-label="Location" className="input" />
        <select name="type" defaultValue={raw.type ?? ''} aria-label="Employment type" className="input">
          <option value="">Any type</option>
          {EMPLOYMENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {employmentTypeLabel(type)}
            </option>
          ))}
        </select>
        <select name="remote" defaultValue={raw.remote ?? ''} aria-label="Remote" className="input">
          <option value="">Remote or on-site</option>
          <option value="true">Remote only</option>
          <option value="false">On-site only</option>
        </select>
        <div className="flex gap-2">
          <input name="tag" defaultValue={raw.tag} placeholder="Tag" aria-label="Tag" className="input" />
          <button type="submit" className="btn">
            Search
          </button>
        </div>
      </form>
      {page?.degraded && <DegradedBanner />}
      {problem && (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {problem}
        </p>
      )}
      {page && page.jobs.length === 0 && (
        <div className="card text-center">
          <p className="font-medium">No jobs match these filters.</p>
          <p className="mt-1 text-sm text-slate-600">Try fewer words or another location.</p>
          {filtered && (
            <Link href="/" className="btn-secondary mt-4">
              Clear filters
            </Link>
          )}
        </div>
      )}
      <ul className="space-y-3" data-testid="job-list">
        {page?.jobs.map((job) => (
          <li key={job.id}>
            <JobCard job={job} />
          </li>
        ))}
      </ul>
      <div className="flex justify-between">
        {raw.cursor ? (
          <Link href={`/?${new URLSearchParams(Object.fromEntries(Object.entries(raw).filter(([key]) => key !== 'cursor')))}`} className="btn-secondary">
            ← First page
          </Link>
        ) : (
          <span />
        )}
        {next && (
          <Link href={next} className="btn-secondary" rel="next">
            Next page →
          </Link>
        )}
      </div>
    </div>
  );
}

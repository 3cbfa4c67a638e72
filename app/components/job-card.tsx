import Link from 'next/link';
import type { JobView } from '@/lib/jobs/job-view';
import { dateLabel, employmentTypeLabel, salaryLabel } from './format';

export function JobCard({ job }: { job: JobView }) {
  const salary = salaryLabel(job);
  return (
    <article className="card transition hover:border-indigo-300">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="text-base font-semibold">
            <Link href={`/jobs/${job.id}`} className="hover:text-indigo-700">
              {job.title}
            </Link>
          </h2>
          <p className="text-sm text-slate-600">
            {job.company.name} · {job.location}
            {job.remote && <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-700">Remote</span>}
          </p>
        </div>
        <div className="text-sm text-slate-500 sm:text-right">
          <div>{employmentTypeLabel(job.employmentType)}</div>
          {salary && <div className="font-medium text-slate-700">{salary}</div>}
        </div>
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        {job.tags.map((tag) => (
          <Link key={tag} href={`/?tag=${encodeURIComponent(tag)}`} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700 hover:bg-indigo-50">
            {tag}
          </Link>
        ))}
        <span className="ml-auto text-xs text-slate-400">Posted {dateLabel(job.createdAt)}</span>
      </div>
    </article>
  );
}

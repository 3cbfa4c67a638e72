import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageRole } from '@/lib/auth/page-guard';
import { listCompanyJobs } from '@/lib/jobs/update-job';
import { dateLabel } from '../components/format';

export const metadata: Metadata = { title: 'Employer dashboard' };
export const dynamic = 'force-dynamic';

export default async function EmployerDashboard() {
  const actor = await requirePageRole('employer', '/employer');
  const jobs = await listCompanyJobs(actor);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Your jobs</h1>
        <Link href="/employer/jobs/new" className="btn">Post a job</Link>
      </div>
      {jobs.length === 0 ? (
        <div className="card text-center">
          <p className="font-medium">You have not posted a job yet.</p>
          <p className="mt-1 text-sm text-slate-600">Post your first role; it appears on the board at once.</p>
        </div>
      ) : (
        <ul className="space-y-3" data-testid="employer-jobs">
          {jobs.map((job) => (
            <li key={job.id} className="card flex flex-wrap items-center justify-between gap-2">
              <div>
                <Link href={`/employer/jobs/${job.id}`} className="font-medium hover:text-indigo-700">{job.title}</Link>
                <p className="text-sm text-slate-600">
                  {job.location} · posted {dateLabel(job.createdAt)} · {job.applicationCount} application{job.applicationCount === 1 ? '' : 's'}
                </p>
              </div>
              <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${job.status === 'open' ? 'bg-emerald-50 text-emerald-700' : 'bg-slate-100 text-slate-600'}`}>{job.status}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

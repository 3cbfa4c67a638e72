import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { currentActor } from '@/lib/auth/session';
import { DomainError } from '@/lib/errors';
import { getJob } from '@/lib/jobs/get-job';
import { dateLabel, employmentTypeLabel, salaryLabel } from '../../components/format';
import { DegradedBanner } from '../../components/degraded-banner';
import { ApplyForm } from './apply-form';

export const dynamic = 'force-dynamic';
type Params = Promise<{ id: string }>;

async function loadJob(id: string) {
  try {
    return await getJob(id, await currentActor().catch(() => null));
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { job } = await loadJob((await params).id);
  return { title: `${job.title} at ${job.company.name}` };
}

export default async function JobPage({ params }: { params: Params }) {
  const { id } = await params;
  const [{ job, degraded }, actor] = await Promise.all([loadJob(id), currentActor().catch(() => null)]);
  const salary = salaryLabel(job);
  return (
    <div className="grid gap-6 md:grid-cols-3">
      {degraded && <DegradedBanner className="md:col-span-3" />}
      <article className="card md:col-span-2">
        <Link href="/" className="text-sm text-indigo-700 hover:underline">
          ← All jobs
        </Link>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">{job.title}</h1>
        <p className="mt-1 text-slate-600">
          {job.company.name} · {job.location} {job.remote && '· Remote'}
        </p>
        <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-slate-500">Type</dt>
            <dd className="font-medium">{employmentTypeLabel(job.employmentType)}</dd>
          </div>
          {salary && (
            <div>
              <dt className="text-slate-500">Salary</dt>
              <dd className="font-medium">{salary}</dd>
            </div>
          )}
          <div>
            <dt className="text-slate-500">Posted</dt>
            <dd className="font-medium">{dateLabel(job.createdAt)}</dd>
          </div>
        </dl>
        <div className="mt-6 space-y-4 whitespace-pre-line text-sm leading-6 text-slate-800">{job.description}</div>
        <div className="mt-6 flex flex-wrap gap-2">
          {job.tags.map((tag) => (
            <span key={tag} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
              {tag}
            </span>
          ))}
        </div>
      </article>
      <aside className="card h-fit">
        {job.status !== 'open' ? (
          <p className="text-sm text-slate-600">This job is closed and no longer takes applications.</p>
        ) : actor?.role === 'candidate' ? (
          <ApplyForm jobId={job.id} />
        ) : actor?.role === 'employer' ? (
          <p className="text-sm text-slate-600">You are signed in as an employer. Candidates apply here.</p>
        ) : (
          <div className="space-y-3 text-sm">
            <p className="font-medium">Interested?</p>
            <Link href={`/sign-in?next=${encodeURIComponent(`/jobs/${job.id}`)}`} className="btn w-full">
              Sign in to apply
            </Link>
            <p className="text-slate-500">
              New here? <Link href="/sign-up" className="text-indigo-700 hover:underline">Create an account</Link>
            </p>
          </div>
        )}
      </aside>
    </div>
  );
}

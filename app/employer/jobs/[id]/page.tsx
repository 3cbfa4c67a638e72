import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { listJobApplications } from '@/lib/applications/list-applications';
import { currentActor } from '@/lib/auth/session';
import { DomainError } from '@/lib/errors';
import { getJob } from '@/lib/jobs/get-job';
import { dateLabel } from '../../../components/format';
import { JobForm } from '../../job-form';
import { JobStatusButton } from './job-status-button';

export const metadata: Metadata = { title: 'Manage job' };
export const dynamic = 'force-dynamic';

export default async function ManageJobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?next=/employer/jobs/${id}`);
  let job, applications;
  try {
    [{ job }, applications] = await Promise.all([getJob(id, actor), listJobApplications(actor, id)]);
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'not_found' || error.code === 'forbidden')) notFound();
    throw error;
  }
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <Link href="/employer" className="text-sm text-indigo-700 hover:underline">← Your jobs</Link>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight">{job.title}</h1>
          <p className="text-sm text-slate-600">Status: {job.status} · <Link href={`/jobs/${job.id}`} className="text-indigo-700 hover:underline">public page</Link></p>
        </div>
        <JobStatusButton jobId={job.id} status={job.status} />
      </div>
      <section className="card">
        <h2 className="mb-3 font-semibold">Applicants ({applications.length})</h2>
        {applications.length === 0 ? (
          <p className="text-sm text-slate-600">No applications yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="job-applicants">
            {applications.map((application) => (
              <li key={application.id} className="py-3">
                <div className="flex flex-wrap justify-between gap-2">
                  <p className="font-medium">{application.candidate.name} <span className="font-normal text-slate-500">· {application.candidate.email}</span></p>
                  <span className="text-xs text-slate-500">{dateLabel(application.createdAt)} · {application.status}</span>
                </div>
                <p className="mt-1 whitespace-pre-line text-sm text-slate-700">{application.coverLetter}</p>
                {application.resumeUrl && (
                  <a href={application.resumeUrl} rel="noopener noreferrer nofollow" target="_blank" className="mt-1 inline-block text-sm text-indigo-700 hover:underline">Résumé</a>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card">
        <h2 className="mb-3 font-semibold">Edit job</h2>
        <JobForm job={job} />
      </section>
    </div>
  );
}

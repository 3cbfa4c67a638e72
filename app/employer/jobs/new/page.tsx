import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentActor } from '@/lib/auth/session';
import { JobForm } from '../../job-form';

export const metadata: Metadata = { title: 'Post a job' };
export const dynamic = 'force-dynamic';

export default async function NewJobPage() {
  const actor = await currentActor();
  if (!actor) redirect('/sign-in?next=/employer/jobs/new');
  if (actor.role !== 'employer') redirect('/');
  return (
    <div className="card mx-auto max-w-2xl">
      <h1 className="mb-4 text-xl font-semibold">Post a job</h1>
      <JobForm />
    </div>
  );
}

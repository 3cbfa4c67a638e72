import type { Metadata } from 'next';
import { requirePageRole } from '@/lib/auth/page-guard';
import { JobForm } from '../../job-form';

export const metadata: Metadata = { title: 'Post a job' };
export const dynamic = 'force-dynamic';

export default async function NewJobPage() {
  await requirePageRole('employer', '/employer/jobs/new');
  return (
    <div className="card mx-auto max-w-2xl">
      <h1 className="mb-4 text-xl font-semibold">Post a job</h1>
      <JobForm />
    </div>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { listMyApplications } from '@/lib/applications/list-applications';
import { requirePageRole } from '@/lib/auth/page-guard';
import { dateLabel } from '../../components/format';

export const metadata: Metadata = { title: 'My applications' };
export const dynamic = 'force-dynamic';

export default async function MyApplicationsPage() {
  const actor = await requirePageRole('candidate', '/me/applications');
  const applications = await listMyApplications(actor);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">My applications</h1>
      {applications.length === 0 ? (
        <div className="card text-center">
          <p className="font-medium">You have not applied to any job yet.</p>
          <Link href="/" className="btn mt-4">Browse jobs</Link>
        </div>
      ) : (
        <ul className="space-y-3" data-testid="my-applications">
          {applications.map((application) => (
            <li key={application.id} className="card flex flex-wrap items-center justify-between gap-2">
              <div>
                <Link href={`/jobs/${application.job.id}`} className="font-medium hover:text-indigo-700">
                  {application.job.title}
                </Link>
                <p className="text-sm text-slate-600">
                  {application.job.companyName} · applied {dateLabel(application.createdAt)}
                </p>
              </div>
              <span className="rounded-full bg-indigo-50 px-2.5 py-0.5 text-xs font-medium capitalize text-indigo-700">{application.status}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

'use client';
import Link from 'next/link';
import { useState } from 'react';
import { sendJson } from '@/lib/client/api';
import { tracedClick } from '@/lib/client/traced-click';
import { useApiForm } from '@/lib/client/use-api-form';
import { FieldError, FormError } from '../../components/form-error';

export function ApplyForm({ jobId }: { jobId: string }) {
  const [done, setDone] = useState(false);
  const { error, pending, onSubmit } = useApiForm(
    (form) =>
      tracedClick('apply.click', { 'app.job.id': jobId }, () =>
        sendJson(`/api/jobs/${jobId}/applications`, {
          coverLetter: String(form.get('coverLetter') ?? ''),
          resumeUrl: String(form.get('resumeUrl') ?? '') || undefined,
        }),
      ),
    () => setDone(true),
  );
  const [length, setLength] = useState(0);

  if (done) {
    return (
      <div role="status" className="space-y-3 text-sm">
        <p className="font-medium text-emerald-700">Application sent.</p>
        <Link href="/me/applications" className="btn-secondary w-full">
          See my applications
        </Link>
      </div>
    );
  }

  return (
    <form className="space-y-3" onSubmit={onSubmit}>
      <h2 className="font-semibold">Apply for this job</h2>
      <div>
        <label htmlFor="coverLetter" className="label">
          Cover letter
        </label>
        <textarea id="coverLetter" name="coverLetter" required minLength={50} maxLength={5000} rows={8} className="input" onChange={(e) => setLength(e.target.value.trim().length)} />
        <p className="mt-1 text-xs text-slate-500">{length} / 5,000 characters (at least 50)</p>
        <FieldError error={error} field="coverLetter" />
      </div>
      <div>
        <label htmlFor="resumeUrl" className="label">
          Résumé URL <span className="font-normal text-slate-400">(optional)</span>
        </label>
        <input id="resumeUrl" name="resumeUrl" type="url" placeholder="https://…" className="input" />
        <FieldError error={error} field="resumeUrl" />
      </div>
      <FormError error={error} />
      <button type="submit" className="btn w-full" disabled={pending}>
        {pending ? 'Sending…' : 'Apply'}
      </button>
    </form>
  );
}

'use client';
import { useRouter } from 'next/navigation';
import { sendJson } from '@/lib/client/api';
import { useApiForm } from '@/lib/client/use-api-form';
import type { JobView } from '@/lib/jobs/job-view';
import { EMPLOYMENT_TYPES } from '@/lib/jobs/employment-types';
import { employmentTypeLabel } from '../components/format';
import { FieldError, FormError } from '../components/form-error';


function numberOrNull(value: FormDataEntryValue | null): number | null {
  const text = String(value ?? '').trim();
  return text === '' ? null : Number(text);
}

/** Posts a new job, or edits an existing one (PATCH) when `job` is given. */
export function JobForm({ job }: { job?: JobView }) {
  const router = useRouter();
  const { error, pending, onSubmit } = useApiForm(
    (form) => {
      const currency = String(form.get('currency') ?? '').trim().toUpperCase();
      const body = {
        title: String(form.get('title') ?? ''),
        description: String(form.get('description') ?? ''),
        location: String(form.get('location') ?? ''),
        remote: form.get('remote') === 'on',
        employmentType: String(form.get('employmentType') ?? 'full_time'),
        salaryMin: numberOrNull(form.get('salaryMin')),
        salaryMax: numberOrNull(form.get('salaryMax')),
        currency: currency || null,
        tags: String(form.get('tags') ?? '').split(',').map((tag) => tag.trim()).filter(Boolean),
      };
      return job ? sendJson<{ job: JobView }>(`/api/jobs/${job.id}`, body, 'PATCH') : sendJson<{ job: JobView }>('/api/jobs', body);
    },
    (data) => {
      router.push(`/employer/jobs/${data.job.id}`);
      router.refresh();
    },
  );
  return (
    <form className="space-y-4" onSubmit={onSubmit}>
      <div>
        <label htmlFor="title" className="label">Title</label>
        <input id="title" name="title" required minLength={3} maxLength={120} defaultValue={job?.title} className="input" />
        <FieldError error={error} field="title" />
      </div>
      <div>
        <label htmlFor="description" className="label">Description</label>
        <textarea id="description" name="description" required minLength={20} rows={8} defaultValue={job?.description} className="input" />
        <FieldError error={error} field="description" />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="location" className="label">Location</label>
          <input id="location" name="location" required defaultValue={job?.location} className="input" />
          <FieldError error={error} field="location" />
        </div>
        <div>
          <label htmlFor="employmentType" className="label">Employment type</label>
          <select id="employmentType" name="employmentType" defaultValue={job?.employmentType ?? 'full_time'} className="input">
            {EMPLOYMENT_TYPES.map((type) => (
              <option key={type} value={type}>{employmentTypeLabel(type)}</option>
            ))}
          </select>
        </div>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="remote" defaultChecked={job?.remote} /> Remote-friendly
      </label>
      <div className="grid gap-4 sm:grid-cols-3">
        <div>
          <label htmlFor="salaryMin" className="label">Salary from</label>
          <input id="salaryMin" name="salaryMin" type="number" min={0} defaultValue={job?.salaryMin ?? ''} className="input" />
          <FieldError error={error} field="salaryMin" />
        </div>
        <div>
          <label htmlFor="salaryMax" className="label">Salary to</label>
          <input id="salaryMax" name="salaryMax" type="number" min={0} defaultValue={job?.salaryMax ?? ''} className="input" />
          <FieldError error={error} field="salaryMax" />
        </div>
        <div>
          <label htmlFor="currency" className="label">Currency</label>
          <input id="currency" name="currency" maxLength={3} placeholder="USD" defaultValue={job?.currency ?? ''} className="input uppercase" />
          <FieldError error={error} field="currency" />
        </div>
      </div>
      <div>
        <label htmlFor="tags" className="label">Tags <span className="font-normal text-slate-400">(comma-separated)</span></label>
        <input id="tags" name="tags" defaultValue={job?.tags.join(', ')} className="input" />
        <FieldError error={error} field="tags" />
      </div>
      <FormError error={error} />
      <button type="submit" className="btn" disabled={pending}>
        {pending ? 'Saving…' : job ? 'Save changes' : 'Post job'}
      </button>
    </form>
  );
}

'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { sendJson } from '@/lib/client/api';
import { useApiForm } from '@/lib/client/use-api-form';
import { FieldError, FormError } from '../components/form-error';

export function SignUpForm() {
  const router = useRouter();
  const [role, setRole] = useState<'candidate' | 'employer'>('candidate');
  const { error, pending, onSubmit } = useApiForm(
    (form) =>
      sendJson('/api/auth/sign-up/email', {
        name: String(form.get('name') ?? ''),
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        role,
        ...(role === 'employer' && form.get('companyName') ? { companyName: String(form.get('companyName')) } : {}),
      }),
    () => {
      router.push(role === 'employer' ? '/employer' : '/');
      router.refresh();
    },
  );
  return (
    <form className="mt-4 space-y-3" onSubmit={onSubmit}>
      <fieldset className="grid grid-cols-2 gap-2" aria-label="I am">
        {(['candidate', 'employer'] as const).map((value) => (
          <label key={value} className={`cursor-pointer rounded-md border px-3 py-2 text-sm ${role === value ? 'border-indigo-500 bg-indigo-50' : 'border-slate-300'}`}>
            <input type="radio" name="role" value={value} checked={role === value} onChange={() => setRole(value)} className="mr-2" />
            {value === 'candidate' ? 'Looking for a job' : 'Hiring'}
          </label>
        ))}
      </fieldset>
      <div>
        <label htmlFor="name" className="label">Your name</label>
        <input id="name" name="name" required maxLength={100} autoComplete="name" className="input" />
        <FieldError error={error} field="name" />
      </div>
      {role === 'employer' && (
        <div>
          <label htmlFor="companyName" className="label">Company name</label>
          <input id="companyName" name="companyName" maxLength={120} className="input" />
          <FieldError error={error} field="companyName" />
        </div>
      )}
      <div>
        <label htmlFor="email" className="label">Email</label>
        <input id="email" name="email" type="email" required autoComplete="email" className="input" />
        <FieldError error={error} field="email" />
      </div>
      <div>
        <label htmlFor="password" className="label">Password</label>
        <input id="password" name="password" type="password" required minLength={10} maxLength={128} autoComplete="new-password" aria-describedby="password-hint" className="input" />
        <p id="password-hint" className="mt-1 text-xs text-slate-600">At least 10 characters, and not a common password: a few uncommon words work well.</p>
        <FieldError error={error} field="password" />
      </div>
      <FormError error={error} />
      <button type="submit" className="btn w-full" disabled={pending}>
        {pending ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  );
}

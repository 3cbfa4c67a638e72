'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { type ApiError, sendJson } from '@/lib/client/api';
import { tracedClick } from '@/lib/client/traced-click';
import { FieldError, FormError } from '../components/form-error';

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      className="mt-4 space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        setPending(true);
        setError(null);
        const result = await tracedClick('sign_in.click', {}, () =>
          sendJson<{ user: { role?: string } }>('/api/auth/sign-in/email', {
            email: String(form.get('email') ?? ''),
            password: String(form.get('password') ?? ''),
          }),
        );
        setPending(false);
        if (!result.ok) return setError(result.error);
        router.push(next === '/' && result.data.user.role === 'employer' ? '/employer' : next);
        router.refresh();
      }}
    >
      <div>
        <label htmlFor="email" className="label">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" required className="input" />
        <FieldError error={error} field="email" />
      </div>
      <div>
        <label htmlFor="password" className="label">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className="input" />
      </div>
      <FormError error={error} />
      <button type="submit" className="btn w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

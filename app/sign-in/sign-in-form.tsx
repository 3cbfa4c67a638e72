'use client';
import { useRouter } from 'next/navigation';
import { sendJson } from '@/lib/client/api';
import { tracedClick } from '@/lib/client/traced-click';
import { useApiForm } from '@/lib/client/use-api-form';
import { FieldError, FormError } from '../components/form-error';

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const { error, pending, onSubmit } = useApiForm(
    (form) =>
      tracedClick('sign_in.click', {}, () =>
        sendJson<{ user: { role?: string } }>('/api/auth/sign-in/email', {
          email: String(form.get('email') ?? ''),
          password: String(form.get('password') ?? ''),
        }),
      ),
    (data) => {
      router.push(next === '/' && data.user.role === 'employer' ? '/employer' : next);
      router.refresh();
    },
  );
  return (
    <form className="mt-4 space-y-3" onSubmit={onSubmit}>
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

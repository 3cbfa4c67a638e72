'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="text-sm text-slate-600 hover:text-slate-900"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await fetch('/api/auth/sign-out', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).catch(() => null);
        router.push('/');
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}

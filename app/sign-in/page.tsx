import type { Metadata } from 'next';
import Link from 'next/link';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  // Only same-site paths: never an open redirect.
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  return (
    <div className="mx-auto max-w-sm card">
      <h1 className="text-xl font-semibold">Sign in</h1>
      <SignInForm next={target} />
      <p className="mt-4 text-sm text-slate-600">
        No account yet? <Link href="/sign-up" className="text-indigo-700 hover:underline">Sign up</Link>
      </p>
    </div>
  );
}

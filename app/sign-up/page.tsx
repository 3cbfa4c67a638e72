import type { Metadata } from 'next';
import Link from 'next/link';
import { SignUpForm } from './sign-up-form';

export const metadata: Metadata = { title: 'Sign up' };

export default function SignUpPage() {
  return (
    <div className="mx-auto max-w-md card">
      <h1 className="text-xl font-semibold">Create your account</h1>
      <SignUpForm />
      <p className="mt-4 text-sm text-slate-600">
        Already have an account? <Link href="/sign-in" className="text-indigo-700 hover:underline">Sign in</Link>
      </p>
    </div>
  );
}

import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md card text-center">
      <p className="text-sm font-medium text-indigo-700">404</p>
      <h1 className="mt-1 text-xl font-semibold">We could not find that page</h1>
      <p className="mt-2 text-sm text-slate-600">The job may have been closed, or the link is mistyped.</p>
      <Link href="/" className="btn mt-5">Browse open jobs</Link>
    </div>
  );
}

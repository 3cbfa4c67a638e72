import { GeistMono } from 'geist/font/mono';
import { GeistSans } from 'geist/font/sans';
import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { currentActor } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { browserSpansTarget } from '@/lib/telemetry/config';
import { appVersion } from '@/lib/version';
import { BrowserTracing } from './components/browser-tracing';
import { SignOutButton } from './components/sign-out-button';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Jobboard — find your next role', template: '%s · Jobboard' },
  description: 'Browse open roles, apply in minutes, and hire great people.',
};
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

async function Navigation() {
  const actor = await currentActor().catch(() => null);
  return (
    <nav className="flex flex-wrap items-center gap-x-5 gap-y-2 text-sm">
      <Link href="/" className="text-slate-600 hover:text-slate-900">
        Jobs
      </Link>
      {actor?.role === 'candidate' && (
        <Link href="/me/applications" className="text-slate-600 hover:text-slate-900">
          My applications
        </Link>
      )}
      {actor?.role === 'employer' && (
        <Link href="/employer" className="text-slate-600 hover:text-slate-900">
          Employer dashboard
        </Link>
      )}
      {actor ? (
        <>
          <span className="text-slate-400" data-testid="signed-in-as">
            {actor.name}
          </span>
          <SignOutButton />
        </>
      ) : (
        <>
          <Link href="/sign-in" className="text-slate-600 hover:text-slate-900">
            Sign in
          </Link>
          <Link href="/sign-up" className="btn">
            Sign up
          </Link>
        </>
      )}
    </nav>
  );
}

/** The browser tracer is served only where its spans can be forwarded (lib/telemetry/config.ts). */
function browserTracingEnabled(): boolean {
  return browserSpansTarget(getEnv()) !== null;
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-screen font-sans">
        {browserTracingEnabled() && <BrowserTracing version={appVersion()} />}
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-4">
            <Link href="/" className="text-lg font-semibold tracking-tight text-indigo-700">
              Jobboard
            </Link>
            <Navigation />
          </div>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
        <footer className="mx-auto max-w-5xl px-4 pb-10 text-xs text-slate-400">Jobboard · a reference job board</footer>
      </body>
    </html>
  );
}

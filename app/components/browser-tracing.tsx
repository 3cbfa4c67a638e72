'use client';
import { useEffect } from 'react';

/** Loads the browser tracer after hydration, in its own chunk (only rendered when exporting). */
export function BrowserTracing({ version }: { version: string }) {
  useEffect(() => {
    void import('@/lib/client/browser-tracing').then(({ startBrowserTracing }) => startBrowserTracing(version));
  }, [version]);
  return null;
}

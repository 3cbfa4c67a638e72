export function DegradedBanner({ className = '' }: { className?: string }) {
  return (
    <p role="status" data-testid="degraded-banner" className={`rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 ${className}`}>
      We are having trouble reaching our database. You are seeing a recent copy of this page; applying and posting are paused for a moment.
    </p>
  );
}

'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { type ApiError, sendJson } from '@/lib/client/api';
import { FormError } from '../../../components/form-error';

export function JobStatusButton({ jobId, status }: { jobId: string; status: string }) {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const next = status === 'open' ? 'closed' : 'open';
  return (
    <div className="space-y-2">
      <button
        type="button"
        className="btn-secondary"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          const result = await sendJson(`/api/jobs/${jobId}`, { status: next }, 'PATCH');
          setPending(false);
          if (!result.ok) return setError(result.error);
          router.refresh();
        }}
      >
        {next === 'closed' ? 'Close job' : 'Reopen job'}
      </button>
      <FormError error={error} />
    </div>
  );
}

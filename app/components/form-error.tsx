import type { ApiError } from '@/lib/client/api';

export function FormError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {error.message}
    </div>
  );
}

export function FieldError({ error, field }: { error: ApiError | null; field: string }) {
  const messages = error?.fields?.[field];
  if (!messages?.length) return null;
  return <p className="mt-1 text-xs text-red-700">{messages.join('; ')}</p>;
}

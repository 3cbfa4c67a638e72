'use client';
// The submit cycle every form of ours shares: read the form, call the API, show its error or
// hand the result on. Keeps pending state and the API's error shape in one place.
import { type FormEvent, useState } from 'react';
import type { ApiError, ApiResult } from './api';

export function useApiForm<T>(send: (form: FormData) => Promise<ApiResult<T>>, onSuccess: (data: T) => void) {
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await send(form);
    setPending(false);
    if (result.ok) onSuccess(result.data);
    else setError(result.error);
  };
  return { error, pending, onSubmit };
}

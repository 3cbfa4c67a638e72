// Per-request facts that the request log line needs but only code inside Next learns (who the
// caller is). One AsyncLocalStorage on globalThis, shared by our server and Next's bundles.
import { AsyncLocalStorage } from 'node:async_hooks';

export type RequestFacts = { user?: string; /** epoch ms after which no more work (retries) starts */ deadline?: number };
const KEY = Symbol.for('jobboard.requestContext');
type GlobalWithContext = typeof globalThis & { [KEY]?: AsyncLocalStorage<RequestFacts> };

export function requestContext(): AsyncLocalStorage<RequestFacts> {
  const store = globalThis as GlobalWithContext;
  store[KEY] ??= new AsyncLocalStorage<RequestFacts>();
  return store[KEY];
}

export function currentRequestFacts(): RequestFacts | undefined {
  return requestContext().getStore();
}

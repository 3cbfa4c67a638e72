// Per-request facts that the request log line needs but only code inside Next learns (who the
// caller is). One AsyncLocalStorage per process, shared by our server and Next's bundles.
import { AsyncLocalStorage } from 'node:async_hooks';
import { processSingleton } from '../process-singleton';

export type RequestFacts = { user?: string; /** epoch ms after which no more work (retries) starts */ deadline?: number };
export function requestContext(): AsyncLocalStorage<RequestFacts> {
  return processSingleton('requestContext', () => new AsyncLocalStorage<RequestFacts>());
}

export function currentRequestFacts(): RequestFacts | undefined {
  return requestContext().getStore();
}

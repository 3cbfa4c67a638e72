// The one policy layer every database call goes through (lib/db/client.ts wires it into Prisma):
//   reads:  retry (idempotent reads only, full jitter, within the request deadline, never while
//           the breaker is open) → circuit breaker → bulkhead → timeout
//   writes: circuit breaker → bulkhead → timeout
// The query itself is abandoned at the timeout by pg (query_timeout + statement_timeout).
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  SamplingBreaker,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import { getEnv } from '../env';
import { logger } from '../logger';
import { processSingleton } from '../process-singleton';
import { currentRequestFacts } from '../telemetry/request-context';
import { isDatabaseFailure, isTimeout } from './classify';
import { observeBreakerState, recordBreakerTransition, recordDbRejection } from './metrics';

export type BreakerState = 'closed' | 'open' | 'half_open' | 'isolated';

/** The database cannot be used right now; callers fall back or answer 503 with Retry-After. */
export class DatabaseUnavailableError extends Error {
  readonly isDatabaseUnavailable = true;
  constructor(
    readonly reason: 'circuit_open' | 'overloaded' | 'timeout' | 'unreachable',
    readonly retryAfterS: number,
    options?: { cause?: unknown },
  ) {
    super(`database unavailable: ${reason}`, options);
    this.name = 'DatabaseUnavailableError';
  }
}

export function isDatabaseUnavailable(error: unknown): error is DatabaseUnavailableError {
  return Boolean((error as { isDatabaseUnavailable?: boolean })?.isDatabaseUnavailable);
}

function createPolicies() {
  const env = getEnv();
  let openedAt = 0;
  const breaker = circuitBreaker(handleWhen(isDatabaseFailure), {
    halfOpenAfter: env.DB_BREAKER_HALF_OPEN_AFTER_MS,
    breaker: new SamplingBreaker({
      threshold: env.DB_BREAKER_THRESHOLD,
      duration: env.DB_BREAKER_WINDOW_MS,
      // cockatiel counts a minimum rate; this many calls in the window.
      minimumRps: env.DB_BREAKER_MIN_CALLS / (env.DB_BREAKER_WINDOW_MS / 1000),
    }),
  });
  breaker.onBreak(() => {
    openedAt = Date.now();
    recordBreakerTransition('open');
    logger.error({ event: 'circuit_opened', half_open_after_ms: env.DB_BREAKER_HALF_OPEN_AFTER_MS }, 'database circuit opened: failing fast');
  });
  breaker.onHalfOpen(() => {
    recordBreakerTransition('half_open');
    logger.warn({ event: 'circuit_half_open' }, 'database circuit half-open: letting one probe through');
  });
  breaker.onReset(() => {
    recordBreakerTransition('closed');
    logger.info({ event: 'circuit_closed', open_ms: Date.now() - openedAt }, 'database circuit closed');
  });

  const limit = env.DATABASE_URL ? env.DATABASE_POOL_SIZE : 1;
  const bulkheadPolicy = bulkhead(limit, env.DB_BULKHEAD_QUEUE);
  // abortOnReturn: false. The query ignores cockatiel's signal (pg enforces the timeout itself:
  // query_timeout, statement_timeout), and aborting it after every successful call built a
  // DOMException with a stack trace each time: 2 % of a database call's CPU (docs/performance.md).
  const timeoutPolicy = timeout(env.DB_TIMEOUT_MS, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  timeoutPolicy.onTimeout(() => logger.warn({ event: 'db_timeout', timeout_ms: env.DB_TIMEOUT_MS }, 'database call timed out'));
  const retryPolicy = retry(
    handleWhen((error) => isDatabaseFailure(error) && !(error instanceof BrokenCircuitError) && !(error instanceof BulkheadRejectedError)),
    { maxAttempts: env.DB_READ_RETRIES, backoff: new ExponentialBackoff({ initialDelay: env.DB_RETRY_BASE_MS, maxDelay: env.DB_RETRY_BASE_MS * 8 }) },
  );
  const writes = wrap(breaker, bulkheadPolicy, timeoutPolicy);
  const reads = wrap(retryPolicy, breaker, bulkheadPolicy, timeoutPolicy);

  const state = (): BreakerState => {
    switch (breaker.state) {
      case CircuitState.Open:
        return 'open';
      case CircuitState.HalfOpen:
        return 'half_open';
      case CircuitState.Isolated:
        return 'isolated';
      default:
        return 'closed';
    }
  };
  const secondsUntilProbe = () => Math.max(1, Math.ceil((openedAt + env.DB_BREAKER_HALF_OPEN_AFTER_MS - Date.now()) / 1000));
  /** Open, and its half-open probe not yet due: every database call would be refused right now. */
  const refusingCalls = () =>
    breaker.state === CircuitState.Isolated || (breaker.state === CircuitState.Open && Date.now() < openedAt + env.DB_BREAKER_HALF_OPEN_AFTER_MS);
  observeBreakerState(state);
  return { breaker, reads, writes, state, secondsUntilProbe, refusingCalls };
}

export const dbPolicies = () => processSingleton('dbPolicies', createPolicies);

/**
 * Runs `execute` with the request's remaining time budget as a signal (retries never outlive it)
 * and clears the budget's timer as soon as the call settles. Not `AbortSignal.timeout`: its timer
 * cannot be cleared, and a Node 24 timer keeps the async context it was made in, so every database
 * call kept its whole request (Next's stores, the request and the response, all they reach)
 * reachable for the budget's 8 s or until a full GC collected the signal: ~220 requests at a time
 * under load, marked again by every full GC (docs/performance.md, item 32).
 */
async function withinDeadline<T>(execute: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  const deadline = currentRequestFacts()?.deadline;
  if (!deadline) return execute(undefined);
  const budget = new AbortController();
  // Unref'd, as AbortSignal.timeout's was: the budget alone never holds the process open.
  const timer = setTimeout(() => budget.abort(new DOMException('the request deadline passed', 'TimeoutError')), Math.max(1, deadline - Date.now())).unref();
  try {
    return await execute(budget.signal);
  } finally {
    clearTimeout(timer);
  }
}

export async function runDbCall<T>(kind: 'read' | 'write', call: () => Promise<T>): Promise<T> {
  const policies = dbPolicies();
  const policy = kind === 'read' ? policies.reads : policies.writes;
  try {
    return await withinDeadline((signal) => policy.execute(() => call(), signal));
  } catch (error) {
    if (error instanceof BrokenCircuitError) {
      recordDbRejection('circuit_open');
      throw new DatabaseUnavailableError('circuit_open', policies.secondsUntilProbe(), { cause: error });
    }
    if (error instanceof BulkheadRejectedError) {
      recordDbRejection('overloaded');
      throw new DatabaseUnavailableError('overloaded', 1, { cause: error });
    }
    if (error instanceof TaskCancelledError || (isDatabaseFailure(error) && isTimeout(error))) {
      recordDbRejection('timeout');
      throw new DatabaseUnavailableError('timeout', policies.state() === 'open' ? policies.secondsUntilProbe() : 1, { cause: error });
    }
    if (isDatabaseFailure(error)) {
      recordDbRejection('unreachable');
      throw new DatabaseUnavailableError('unreachable', policies.state() === 'open' ? policies.secondsUntilProbe() : 1, { cause: error });
    }
    throw error;
  }
}

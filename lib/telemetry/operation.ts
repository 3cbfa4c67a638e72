// Business spans around the domain operations (createApplication, listJobs, getJob, createJob,
// signIn): one span per operation with app.* attributes and an outcome. A route handler and the
// domain function it calls can both declare the same operation; only the outer one makes a span.
import { type Attributes, context, createContextKey, SpanStatusCode } from '@opentelemetry/api';
import { DomainError, type DomainErrorCode } from '../errors';
import { logger } from '../logger';
import { appTracer } from './app-tracer';
import { annotatedSpan } from './next-untraced';
import { userPseudonym } from './pseudonym';
import { currentRequestFacts } from './request-context';

export type Outcome = 'created' | 'ok' | 'duplicate' | 'invalid' | 'unauthorized' | 'rate_limited' | 'not_found' | 'error' | 'degraded';

const OPERATION = createContextKey('jobboard.operation');

const OUTCOME_BY_CODE: Partial<Record<DomainErrorCode, Outcome>> = {
  conflict: 'duplicate',
  email_taken: 'duplicate',
  validation_failed: 'invalid',
  invalid_json: 'invalid',
  unsupported_media_type: 'invalid',
  payload_too_large: 'invalid',
  not_found: 'not_found',
  unauthenticated: 'unauthorized',
  forbidden: 'unauthorized',
  invalid_credentials: 'unauthorized',
};

const REJECTION_EVENTS: Record<string, string> = {
  createApplication: 'application_rejected',
  createJob: 'job_rejected',
  updateJob: 'job_update_rejected',
  signIn: 'sign_in_rejected',
  signUp: 'sign_up_rejected',
};
const rejectionEvent = (operation: string) =>
  REJECTION_EVENTS[operation] ?? `${operation.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}_rejected`;

export function outcomeOf(error: unknown): Outcome {
  return error instanceof DomainError ? (OUTCOME_BY_CODE[error.code] ?? 'error') : ((error as { outcome?: Outcome })?.outcome ?? 'error');
}

/** Sets attributes on the current operation's span, else the server span (and nothing if there is none). */
export function annotate(attributes: Attributes) {
  annotatedSpan()?.setAttributes(attributes);
}

/** Records who the caller is, as a pseudonym, on the span and for the request log line. */
export function annotateUser(userId: string | undefined) {
  if (!userId) return;
  const pseudonym = userPseudonym(userId);
  annotate({ 'app.user.id': pseudonym });
  const facts = currentRequestFacts();
  if (facts) facts.user = pseudonym;
}

/** `success` is the outcome of a normal return, or derived from the result (e.g. a Response). */
export async function withOperation<T>(name: string, run: () => Promise<T>, success: Outcome | ((result: T) => Outcome) = 'ok'): Promise<T> {
  if (context.active().getValue(OPERATION) === name) return run();
  return appTracer().startActiveSpan(name, { attributes: { 'app.operation': name } }, context.active().setValue(OPERATION, name), async (span) => {
    try {
      const result = await run();
      span.setAttribute('app.outcome', typeof success === 'function' ? success(result) : success);
      return result;
    } catch (error) {
      const outcome = outcomeOf(error);
      span.setAttribute('app.outcome', outcome);
      if (outcome === 'error') {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      } else {
        logger.info({ event: rejectionEvent(name), operation: name, code: (error as DomainError).code, outcome }, `${name} rejected: ${outcome}`);
      }
      throw error;
    } finally {
      span.end();
    }
  });
}

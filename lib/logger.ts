// The one logger: JSON lines with a stable schema (docs/observability.md). Every line has an
// `event` in snake_case; request-scoped fields are added by the caller.
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';
import { getEnv } from './env';
import { appVersion } from './version';

const env = getEnv();

export const logger = pino({
  level: env.LOG_LEVEL,
  base: { service: env.OTEL_SERVICE_NAME, version: appVersion(), env: env.APP_ENV },
  timestamp: pino.stdTimeFunctions.isoTime,
  // Correlation: every line logged inside a traced request carries its trace and span ids.
  mixin() {
    const spanContext = trace.getActiveSpan()?.spanContext();
    return spanContext && isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
  },
  messageKey: 'msg',
  formatters: { level: (label) => ({ level: label }) },
  // Never log secrets or personal data, even by accident (bodies are never logged at all).
  redact: {
    paths: [
      'password',
      '*.password',
      'email',
      '*.email',
      'name',
      'coverLetter',
      '*.coverLetter',
      'resumeUrl',
      '*.resumeUrl',
      'headers.cookie',
      'headers.authorization',
      'req.headers.cookie',
      'req.headers.authorization',
    ],
    censor: '[redacted]',
  },
});

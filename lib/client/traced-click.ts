// A span for a user action; fetches started synchronously inside it become its children and
// carry its trace to the server. Without the browser tracer loaded this is a no-op wrapper.
import { SpanStatusCode, trace } from '@opentelemetry/api';

export function tracedClick<T>(name: string, attributes: Record<string, string>, action: () => Promise<T>): Promise<T> {
  return trace.getTracer('jobboard-web').startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await action();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

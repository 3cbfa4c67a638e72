// The app's own tracer ('jobboard'), taken from the provider lib/telemetry/start.ts registered
// rather than through the global proxy. Next 16 patches the proxy's `getTracer` (and only the
// proxy's: next/dist/server/lib/router-utils/instrumentation-node-extensions.js) so that every
// span start leaves its work-unit async storage and, for an active span, re-enters it around the
// callback: two async-context switches per span, for Cache Components' prerendering, which this
// app does not enable (app-tracer.test.ts checks next.config.ts). In a profile of an unsampled
// list read those switches were ~1.6 % of its CPU (docs/performance.md, "Tracing, what remains").
import { trace, type Tracer, type TracerProvider } from '@opentelemetry/api';

/** The global proxy's delegate (the registered provider), or the provider itself if it is not a proxy. */
function registeredProvider(): TracerProvider {
  // Duck-typed: Next's chunks bundle their own copy of @opentelemetry/api, so `instanceof
  // ProxyTracerProvider` is false for the proxy the other copy registered.
  const global = trace.getTracerProvider() as TracerProvider & { getDelegate?: () => TracerProvider };
  return typeof global.getDelegate === 'function' ? global.getDelegate() : global;
}

let cached: { provider: TracerProvider; tracer: Tracer } | undefined;

/** The 'jobboard' tracer of the provider registered now (re-read when telemetry starts or stops). */
export function appTracer(): Tracer {
  const provider = registeredProvider();
  if (cached?.provider !== provider) cached = { provider, tracer: provider.getTracer('jobboard') };
  return cached.tracer;
}

// The app's tracer comes from the registered provider, past the global proxy that Next patches;
// that is only sound while Cache Components (the reason for Next's patch) stay off.
import { ProxyTracerProvider, trace, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import nextConfig from '../../next.config';
import { appTracer } from './app-tracer';

afterEach(() => trace.disable());

describe('appTracer', () => {
  it("takes the registered provider's tracer, not one through a patched global proxy (as Next 16 patches it)", () => {
    const registered = new BasicTracerProvider();
    trace.setGlobalTracerProvider(registered);
    const proxy = trace.getTracerProvider() as ProxyTracerProvider;
    const patched: Tracer[] = [];
    const originalGetTracer = proxy.getTracer.bind(proxy);
    proxy.getTracer = (...args: Parameters<ProxyTracerProvider['getTracer']>) => {
      const tracer = originalGetTracer(...args);
      patched.push(tracer);
      return tracer;
    };
    const tracer = appTracer();
    expect(patched).toEqual([]);
    expect(tracer).toBe(registered.getTracer('jobboard'));
    expect(appTracer()).toBe(tracer); // one lookup per registered provider
  });

  it('follows the provider when another is registered (telemetry started after the first call)', () => {
    const first = appTracer();
    const registered = new BasicTracerProvider();
    trace.setGlobalTracerProvider(registered);
    const second = appTracer();
    expect(second).not.toBe(first);
    expect(second).toBe(registered.getTracer('jobboard'));
  });

  it("relies on Cache Components being off: Next patches the proxy for them (next.config.ts)", () => {
    expect((nextConfig as { cacheComponents?: boolean }).cacheComponents ?? false).toBe(false);
  });
});

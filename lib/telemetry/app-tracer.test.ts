// The app's tracer comes from the registered provider, past the global proxy that Next patches;
// that is only sound while Cache Components (the reason for Next's patch) stay off.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ProxyTracerProvider, trace, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import nextConfig from '../../next.config';
import { appTracer } from './app-tracer';
import { NextQuietUnlessRecordingTracerProvider } from './span-filter';

// The patch Next applies once instrumentation is registered (for Cache Components), in the
// environment Next's server sets up first (AsyncLocalStorage on globalThis).
const requireFromHere = createRequire(import.meta.url);
requireFromHere('next/dist/server/node-environment-baseline.js');
const { afterRegistration } = requireFromHere('next/dist/server/lib/router-utils/instrumentation-node-extensions.js') as { afterRegistration: () => void };
/** Whether Next's patch replaced a tracer's span starts (it assigns them on the tracer itself). */
const patchedByNext = (tracer: Tracer) => Object.hasOwn(tracer, 'startSpan') || Object.hasOwn(tracer, 'startActiveSpan');
const root = path.resolve(import.meta.dirname, '../..');

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

describe("appTracer against Next's real patch (a Next upgrade that changes it fails here)", () => {
  it('Next patches the proxy and the tracers handed out through it, and appTracer() stays unpatched', () => {
    trace.setGlobalTracerProvider(new NextQuietUnlessRecordingTracerProvider(new BasicTracerProvider())); // as start.ts registers it
    afterRegistration();
    const proxy = trace.getTracerProvider();
    expect(Object.hasOwn(proxy, 'getTracer')).toBe(true); // the patch item 10 steps around is still there
    trace.getTracer('next.js', '16').startSpan('route').end(); // Next's own spans go through the proxy
    expect(patchedByNext((proxy as ProxyTracerProvider).getDelegateTracer('next.js', '16')!)).toBe(true);
    expect(patchedByNext(appTracer())).toBe(false);
  });

  it("a span through the proxy under the app's tracer name would patch appTracer()'s tracer for good", () => {
    trace.setGlobalTracerProvider(new NextQuietUnlessRecordingTracerProvider(new BasicTracerProvider()));
    afterRegistration();
    trace.getTracer('jobboard').startSpan('through the proxy').end();
    expect(patchedByNext(appTracer())).toBe(true); // hence the rule the next test holds the code to
  });

  it("no server code asks the global proxy for the app's tracer: every span of ours starts from appTracer()", () => {
    const asksTheProxy = (file: string) => /trace\.getTracer\(\s*['"]jobboard['"]/.test(readFileSync(path.join(root, file), 'utf8'));
    const skipped = new Set(['lib/db/generated', 'lib/client']); // generated code; code that runs in the browser
    const sources = (dir: string): string[] =>
      readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const file = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) return skipped.has(file) ? [] : sources(file);
        return /\.tsx?$/.test(entry.name) && !entry.name.includes('.test.') ? [file] : [];
      });
    const files = [...sources('lib'), ...sources('app'), 'server.ts', 'instrumentation.ts', 'proxy.ts'];
    expect(files.length).toBeGreaterThan(50); // the walk found the code
    expect(files.filter(asksTheProxy)).toEqual([]);
  });
});

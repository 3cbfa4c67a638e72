import type { NextConfig } from 'next';

// `npm run build:bench` (NEXT_BENCH_BUILD=1, at build and at start): the product plus the
// benchmark's bare routes (`route.bench.ts`), in a separate output directory. The product build
// never sees those files: with the default page extensions `route.bench.ts` is not a route.
// The server finds this build the same way: lib/lifecycle/built-next-config.ts (distDirFor).
const benchBuild = process.env.NEXT_BENCH_BUILD === '1';

const nextConfig: NextConfig = {
  ...(benchBuild ? { distDir: '.next-bench', pageExtensions: ['bench.ts', 'tsx', 'ts'] } : {}),
  // Native/WASM or module-patching packages are loaded by Node, not bundled.
  serverExternalPackages: [
    '@electric-sql/pglite',
    'pglite-prisma-adapter',
    '@prisma/adapter-pg',
    'pg',
    'pino',
    '@prisma/client',
    '@prisma/instrumentation',
    '@opentelemetry/sdk-node',
    '@opentelemetry/sdk-metrics',
    '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/exporter-trace-otlp-proto',
    '@opentelemetry/exporter-trace-otlp-grpc',
    '@opentelemetry/exporter-metrics-otlp-http',
    '@opentelemetry/exporter-metrics-otlp-proto',
    '@opentelemetry/exporter-metrics-otlp-grpc',
    '@opentelemetry/otlp-exporter-base',
    '@opentelemetry/exporter-prometheus',
    '@opentelemetry/instrumentation',
    '@opentelemetry/instrumentation-undici',
    'ioredis',
  ],
  // Type errors fail `npm run typecheck` (run by CI before the build); not checking twice saves build time.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
  // Probe aliases for `next dev`; the production server answers them before Next.
  async rewrites() {
    return [
      { source: '/healthz', destination: '/api/healthz' },
      { source: '/health', destination: '/api/healthz' },
      { source: '/readyz', destination: '/api/readyz' },
      { source: '/ready', destination: '/api/readyz' },
    ];
  },
};

export default nextConfig;

// `npm run deps:check` (CI runs it): imports point one way, and nothing imports in a circle.
// The layers, top to bottom (README "Architecture"):
//   entry points   app/, server.ts, proxy.ts, instrumentation.ts
//   process        lib/lifecycle (start-up, probes, warm-up, shutdown)
//   edge           lib/ratelimit, lib/api (route table, responses, the breaker-open fast path)
//   domain         lib/jobs, lib/applications, lib/companies, lib/auth
//   data           lib/db, lib/resilience
//   telemetry      lib/telemetry, lib/logger.ts, lib/failure-episode.ts
//   base           lib/env.ts (and the rate-limit policies it validates), lib/errors.ts, lib/http,
//                  lib/version.ts and the small helpers
// A module may import from its own layer or any layer below it, never above.
const layer = (name, folders) => ({ name, path: `^lib/(${folders.join('|')})(/|\\.)` });
const layers = [
  layer('process', ['lifecycle']),
  layer('edge', ['ratelimit', 'api']),
  layer('domain', ['jobs', 'applications', 'companies', 'auth']),
  layer('data', ['db', 'resilience']),
  layer('telemetry', ['telemetry', 'logger', 'failure-episode']),
  layer('base', ['env', 'errors', 'http', 'version', 'process-singleton', 'with-timeout', 'rate-limit-policies']),
];

const upward = layers.flatMap((lower, i) =>
  layers.slice(0, i).map((higher) => ({
    name: `${lower.name}-not-above`,
    comment: `${lower.name} (${lower.path}) must not import from ${higher.name}, a layer above it`,
    severity: 'error',
    from: { path: lower.path },
    to: { path: higher.path },
  })),
);

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'an import cycle', from: {}, to: { circular: true } },
    { name: 'lib-not-app', severity: 'error', comment: 'lib/ never imports from the entry points', from: { path: '^lib/' }, to: { path: '^(app/|server\\.ts|proxy\\.ts|instrumentation\\.ts)' } },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.next|dist)/|^lib/db/generated/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};

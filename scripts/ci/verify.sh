#!/usr/bin/env bash
# Everything CI checks, in one place, shared by .ci/run (a bare machine) and
# .github/workflows/ci.yml (service containers). Expects Node 24 on PATH, `npm ci` done,
# DATABASE_URL (a Postgres) and CI_REDIS_URL (a Redis) set; redis-server, haproxy and prometheus installed.
# With IMAGE (a built image of this commit, on a running Docker engine: .ci/run sets it) it also
# verifies the image and rolls containers of it instead of processes.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?verify.sh needs DATABASE_URL (a Postgres)}"
: "${CI_REDIS_URL:?verify.sh needs CI_REDIS_URL (a Redis)}"
export NEXT_TELEMETRY_DISABLED=1
started=$(date +%s)
step() { echo; echo "=== [$(( $(date +%s) - started )) s] $*"; }

step "lint"
npm run lint
step "typecheck"
npm run typecheck
step "dependencies: one way, no cycles (dependency-cruiser, .dependency-cruiser.cjs)"
npm run deps:check
step "workflows: actionlint and the pinning/permissions policy"
npm run lint:workflows
step "supply chain: lockfile integrity hashes, npm audit of production dependencies (NOT CHECKED when the registry's audit service is unreachable)"
npm run audit
step "migrations: deploy to Postgres, check drift (exits 2 on drift) and the expand/contract policy"
npx prisma migrate deploy
npm run db:drift
npm run db:check-migrations
step "SLOs: generated rules and dashboard current, promtool check + unit tests, a runbook per alert (ops/slo, docs/slo.md)"
npm run slo:check
step "build"
npm run build

if [ -n "${IMAGE:-}" ]; then
  step "the real image ($IMAGE): non-root, release command on a fresh database, serves on the embedded default and on Postgres, docker stop with 20 requests in flight, JSON logs"
  npm run image:verify -- --image "$IMAGE"
fi

step "npm test against Postgres (DATABASE_URL)"
SKIP_BUILD=1 npm test

step "rate-limit decision latency on the CI Redis"
REDIS_URL="$CI_REDIS_URL" BENCH_DECISIONS=2000 npm run bench:ratelimit

step "rolling deploy rehearsal behind HAProxy at 60 % of this machine's measured capacity (healthy${IMAGE:+, containers of $IMAGE stopped with docker stop}; then a build that never becomes ready)"
npm run rollout:rehearse ${IMAGE:+-- --containers="$IMAGE"}
npm run rollout:rehearse -- --broken

step "overload rehearsal: 200 % of this machine's measured capacity against two instances behind HAProxy"
npm run overload:rehearse

step "request cost (npm run bench, docs/performance.md) on Postgres: the bench build, then every variant against the same run's A/A control; a report (--report) until issue 18's goals are met"
npm run build:bench
npm run bench -- --rounds 3 --report

step "memory soak (npm run soak), shortened for CI to 1.5 min at 50 % of measured capacity: RSS and heap series, slope, list p99; a report (--report). The 10-minute soak: docs/performance.md"
npm run soak -- --minutes 1.5 --report

step "start -> ready (npm run bench:start): five starts of the built server on Postgres, spawn to the first 200 on /api/readyz, with the warm-up's rounds; a report (--report)"
npm run bench:start -- --report

step "disaster-recovery drill: dump and point-in-time restores under live writes, on a throw-away Postgres of its own that it destroys (docs/disaster-recovery.md)"
# Its own cluster, so destroying it cannot touch the CI database; it writes .data/dr/last-drill.json,
# which the go-live checklist below reads (item 12).
DR_PGDIR=$(mktemp -d /tmp/jobboard-dr-pg.XXXXXX)
trap 'scripts/services/postgres.sh stop "$DR_PGDIR" || true; rm -rf "$DR_PGDIR"' EXIT
DR_DATABASE_URL=$(scripts/services/postgres.sh start "$DR_PGDIR" 54349)
psql "$DR_DATABASE_URL" -qc "COMMENT ON DATABASE jobboard IS 'dr:rehearse may destroy this database'"
DATABASE_URL="$DR_DATABASE_URL" npm run dr:rehearse
scripts/services/postgres.sh stop "$DR_PGDIR"

step "go-live checklist on the built job board: started on this Postgres behind the verifier's fault proxy, plus this repository (docs/golive.md)"
npm run golive -- --start "node dist/server.js" --database-url "$DATABASE_URL" --repo .

step "integration tests against the embedded default (no DATABASE_URL; the suites that need Postgres ran on it above)"
mapfile -t postgres_only < <(node -e 'for (const suite of require("./test/postgres-suites.json")) console.log("--exclude=" + suite)')
mapfile -t load_suites < <(node -e 'for (const suite of require("./test/load-suites.json")) console.log(suite)')
# Not the rate-limit suite either: the limiter's backends (memory, Redis) never touch the database,
# and that suite ran in full on Postgres above (about 100 s saved). Nor the fallback cache's heap
# suite, which runs on an embedded database of its own whatever DATABASE_URL says (about 20 s).
env -u DATABASE_URL npx vitest run --project integration "${postgres_only[@]}" "${load_suites[@]/#/--exclude=}" --exclude=test/ratelimit.test.ts --exclude=test/fallback-cache-memory.test.ts
# Alone, as npm test runs them, so their load does not skew the suites that measure latency. The
# fuzz suite sent its 10,000 requests on Postgres above; 3,000 more here cover the embedded path.
env -u DATABASE_URL FUZZ_REQUESTS=3000 npx vitest run --project integration "${load_suites[@]}"

step "verify done in $(( $(date +%s) - started )) s"

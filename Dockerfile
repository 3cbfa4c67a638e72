# syntax=docker/dockerfile:1
# Multi-stage image: build with dev dependencies, ship pruned production dependencies only.
# The process is `node dist/server.js` in exec form, so SIGTERM reaches our drain (docs/operations.md).
# Built, run, stopped and rolled by `.ci/run` (npm run image:build, image:verify, rollout:rehearse
# --containers; offline, on a stand-in for node:24-slim: docs/decisions/011-offline-base-image.md)
# and by GitHub's CI (.github/workflows/ci.yml, job `image`): see docs/deploying.md.

FROM node:24-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts/prisma-schema-engine.mjs scripts/patch-prisma-runtime.mjs ./scripts/
# postinstall patches @prisma/client's runtime (docs/decisions/013-prisma-runtime-patch.md), then
# runs `prisma generate` (offline, through the schema-engine stand-in)
RUN npm ci --no-audit --no-fund
COPY . .
# public/ is optional in Next; made here so the runtime's COPY of it works with every builder
# (BuildKit accepts a wildcard that matches nothing, the classic builder does not).
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && mkdir -p public

FROM node:24-slim AS runtime
WORKDIR /app
# The commit this image is built from: in logs, traces and /api/healthz's version, which the
# post-deploy smoke test checks (--build-arg GIT_SHA=…, set by the workflows).
ARG GIT_SHA=""
ENV NODE_ENV=production APP_ENV=production PORT=3000 HOSTNAME=0.0.0.0 NEXT_TELEMETRY_DISABLED=1 GIT_SHA=${GIT_SHA}
# The V8 heap, set for the machine rather than left to V8, which sizes it from the host's memory:
# on a 24 GiB host the old generation grew to 896 MiB RSS (374 MiB in use) after 40 s of load, and
# the young generation's two 64 MiB semi-spaces alone kept 128 MiB committed. With a 256 MiB old
# generation and 16 MiB semi-spaces, RSS stayed at 320-351 MiB under load (351: the peak of a
# 10-minute soak) at 0.97x the CPU per request (docs/performance.md). 160 MiB of old generation thrashed the collector (23 req/s
# instead of 276). fly.toml's [[vm]] and k8s/deployment.yaml are sized from this;
# lib/lifecycle/deploy-config.test.ts fails if they drift.
ENV NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=16"
# glibc's malloc with one arena instead of its default of 8 per core. With the server's helper
# threads on a second core (as on fly.toml's 2 vCPUs), `npm run soak -- --vcpus 2` peaked at
# 311-364 MiB RSS (median 322) in seven runs with one arena, against 336-386 MiB (median 344) in
# seven with the default, on one host; capacity and CPU per list read showed no difference (1.003x,
# within the A/A spread). Lower in most runs, not under 350 MiB in every one. The servers the
# benches, the soak and the integration tests start run with it too (scripts/bench/image-runtime.mjs);
# docs/performance.md, item 27.
ENV MALLOC_ARENA_MAX=1
# Node's compile cache: a start reads compiled code for its ~1,500 modules instead of compiling
# them. Filled below by one start of the server, in this stage, as the user that runs the image:
# Node files it under its version, a hash of V8's configuration and the uid (here
# v24.22.3-x64-964aae3f-1001), and a start under another reads none of it; image:verify checks
# that a start of the image reads it. Measured: listening 0.25 s sooner on Postgres, in each of 6
# alternated pairs; the price is ~10 MiB of RSS, the entries Node keeps in memory for the life of
# the process (docs/performance.md, item 17; the soaks measured with it: 326-328 MiB at most).
ENV NODE_COMPILE_CACHE=/app/.cache/node-compile
RUN groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --no-create-home app \
  && mkdir -p /app/.data /app/.cache && chown app:app /app/.data /app/.cache
COPY --from=build --chown=app:app /app/package.json /app/prisma.config.ts ./
COPY --from=build --chown=app:app /app/node_modules ./node_modules
COPY --from=build --chown=app:app /app/.next ./.next
COPY --from=build --chown=app:app /app/dist ./dist
COPY --from=build --chown=app:app /app/public ./public
COPY --from=build --chown=app:app /app/prisma ./prisma
COPY --from=build --chown=app:app /app/scripts/prisma-schema-engine.mjs ./scripts/prisma-schema-engine.mjs
COPY --from=build --chown=app:app /app/scripts/image/fill-compile-cache.mjs ./scripts/fill-compile-cache.mjs
USER app
# One start on the embedded default in a scratch directory, stopped once ready (about 10 s).
RUN node scripts/fill-compile-cache.mjs
EXPOSE 3000 9091
# Migrations run from this image as the release step: node node_modules/prisma/build/index.js migrate deploy
CMD ["node", "dist/server.js"]

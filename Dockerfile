# syntax=docker/dockerfile:1
# Multi-stage image: build with dev dependencies, ship pruned production dependencies only.
# The process is `node dist/server.js` in exec form, so SIGTERM reaches our drain (docs/operations.md).
# Not built on the development machine (it has no Docker engine): see docs/deploying.md.

FROM node:24-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts/prisma-schema-engine.mjs ./scripts/prisma-schema-engine.mjs
# postinstall runs `prisma generate` (offline, through the schema-engine stand-in)
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production APP_ENV=production PORT=3000 HOSTNAME=0.0.0.0 NEXT_TELEMETRY_DISABLED=1
RUN groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --no-create-home app
COPY --from=build --chown=app:app /app/package.json /app/prisma.config.ts ./
COPY --from=build --chown=app:app /app/node_modules ./node_modules
COPY --from=build --chown=app:app /app/.next ./.next
COPY --from=build --chown=app:app /app/dist ./dist
COPY --from=build --chown=app:app /app/public* ./public/
COPY --from=build --chown=app:app /app/prisma ./prisma
COPY --from=build --chown=app:app /app/lib/db/generated ./lib/db/generated
COPY --from=build --chown=app:app /app/scripts/prisma-schema-engine.mjs ./scripts/prisma-schema-engine.mjs
USER app
EXPOSE 3000 9091
# Migrations run from this image as the release step: node node_modules/prisma/build/index.js migrate deploy
CMD ["node", "dist/server.js"]

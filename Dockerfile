# Gatehouse server image.
#   build:    docker build -t gatehouse .
#   migrate:  docker run --rm -e DATABASE_URL=... gatehouse node dist/cli/main.js migrate
#   serve:    docker run --read-only --tmpfs /tmp -p 3000:3000 -e DATABASE_URL=... -e REDIS_URL=... \
#               -e ISSUER=https://... -e GATEHOUSE_KEK=... -e COOKIE_KEYS=... gatehouse
#
# The base image is pinned by its full version tag. Where a registry is reachable at release time,
# pin it by digest as well (node:20.20.2-bookworm-slim@sha256:...): a tag can be moved, a digest not.

# Build: install every dependency, generate the Prisma client, compile, then drop dev dependencies.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# postinstall generates the Prisma client (WASM query compiler: no native engine in the image).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Run: production dependencies, compiled code, views and migrations. Everything is owned by root
# and only readable by the app user, so the root filesystem can be mounted read-only.
FROM node:20.20.2-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="gatehouse" \
      org.opencontainers.image.description="B2B identity broker: an OpenID Provider that federates each organization's own IdP" \
      org.opencontainers.image.licenses="Apache-2.0"
# tini as PID 1 passes SIGTERM on to node (graceful shutdown) and reaps orphans. npm, npx and
# corepack are not needed to run and are removed with everything they bundle.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini=0.19.0-1+b3 \
  && rm -rf /var/lib/apt/lists/* \
  && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
            /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY prisma/migrations ./prisma/migrations
COPY views ./views
# In production nothing is written at run time: secrets come from the environment, data from
# PostgreSQL and Redis. Only a trial run (NODE_ENV=development: embedded database in ./data,
# generated keys in ./keys) writes, so those two directories belong to the app user.
RUN mkdir -p /app/data /app/keys && chown 1000:1000 /app/data /app/keys && chmod 0700 /app/keys
# The image's `node` user, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# Migrations are not run here: `node dist/cli/main.js migrate` runs once per release (the Helm
# chart's pre-install/pre-upgrade Job), never from each of several starting replicas.
CMD ["node", "dist/main.js"]

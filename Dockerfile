# syntax=docker/dockerfile:1
#
# Ripple's production image:
#   docker build -t ripple .
#   docker run -d --name ripple --env-file .env -v ripple-data:/app/data ripple
# The database is data/career.db in the working directory (the default DATABASE_PATH), on the volume
# /app/data; with DATABASE_URL=postgres://… it is that PostgreSQL database and the volume stays empty
# (docker-compose.yml runs two instances on one). Leaving DATABASE_PATH unset matters: started without Slack settings, Ripple is the local
# sandbox, which keeps its sample workspace in memory unless DATABASE_PATH is set.
#
# All three stages are Node 20 on Debian bookworm, so the better-sqlite3 module compiled in `deps` is
# built for the Node and the C library of the final image.

ARG NODE_VERSION=20

# 1. The build: every dependency (TypeScript is a dev dependency), then tsc. A type error fails
#    `npm run build`, and with it the image.
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here, and tsc needs no native module.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# 2. Production dependencies only. --ignore-scripts skips `prepare` (tsc is not installed here) and
#    every install script; then better-sqlite3's alone runs: a prebuilt binary or, failing that, a
#    compile with python3, make and g++, which this image has (-slim does not).
FROM node:${NODE_VERSION}-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm rebuild better-sqlite3 \
  && npm cache clean --force

# 3. What runs: production node_modules, the build, the migrations and the framework files.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
# package.json is read at run time: "type": "module" makes dist/ ES modules, and the migrations in
# db/ are found beside it.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY db ./db
COPY frameworks ./frameworks
# The code stays root's and read-only to the app; only the database folder is the app user's. It is
# made before VOLUME so that a new volume starts with this owner.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
# HTTP mode: Slack's requests and GET /healthz. Socket Mode needs no inbound port.
EXPOSE 3000
# node:*-slim has no curl: node's own fetch. Both modes serve /healthz on PORT (Socket Mode on a small
# HTTP server of its own).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm start: it receives docker stop's SIGTERM and finishes work in progress.
CMD ["node", "--enable-source-maps", "dist/src/main.js"]

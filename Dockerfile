# Kuntakalenteri: the Node server. Build: docker build -t kuntakalenteri .
# Run with PostgreSQL: compose.yaml. With PGlite: mount a volume on /data (one container per volume).

# Build stage: the web front-end (Vite, a dev dependency) and the server bundle (dist/server.js).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build:web && npm run build:server

# Runtime: production dependencies only, non-root.
FROM node:22-bookworm-slim
# pg_dump/pg_restore for `npm run backup` / `npm run restore` against PostgreSQL: Debian 12's
# client is 15, so use a PostgreSQL 15 server (compose.yaml) or install a newer client.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=8787 \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    BACKUP_DIR=/backups \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: "prepare" builds the web front-end, which needs the dev dependencies (done above).
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY migrations ./migrations
COPY src ./src
RUN mkdir -p /data /backups && chown node:node /data /backups
USER node
VOLUME ["/data", "/backups"]
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# What `npm start` runs after building the bundle (built above): node itself is PID 1 and
# gets SIGTERM directly (it drains: /readyz 503, then stops).
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=8", "dist/server.js"]

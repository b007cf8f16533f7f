# syntax=docker/dockerfile:1
# threesix-mcp: build with dev dependencies, run with production dependencies only, as a non-root user.
#   docker build -t threesix-mcp:0.1.0 .
#   docker run --rm -p 3636:3636 -e THREESIX_HTTP_TOKEN=... threesix-mcp:0.1.0
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# --- toolchain: compilers for better-sqlite3 when no prebuilt binary matches the platform -----
FROM ${NODE_IMAGE} AS toolchain
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./

# --- build: full dependencies, esbuild bundle into dist/ --------------------------------------
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY tools ./tools
COPY resources ./resources
RUN npm run build

# --- deps: production dependencies only (native better-sqlite3 and the externals of the bundle)
FROM toolchain AS deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime: no toolchain, no sources, no dev dependencies -----------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    THREESIX_DATA_DIR=/data \
    THREESIX_HTTP_HOST=0.0.0.0 \
    THREESIX_HTTP_PORT=3636
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The image's `node` user (uid 1000) owns only the data directory; the code stays read-only to it.
RUN mkdir -p /data && chown 1000:1000 /data
USER 1000:1000
EXPOSE 3636
# `serve` refuses a non-loopback bind without THREESIX_HTTP_TOKEN: pass one at run time.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.THREESIX_HTTP_PORT || 3636) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]

# Flygate production image. Build: docker build -t flygate .
# Try it locally in demo mode: docker run --rm -p 4000:4000 -e APP_ENV=development flygate (production needs the
# secrets and access settings of docs/SETUP.md).
# Two stages: the first installs production dependencies from the lock file and compiles src/ to dist/ (esbuild is a
# dependency), the second holds only node_modules, dist/ and the config files. Nothing else from the repository is
# sent to the build (.dockerignore).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --omit=dev: no test, lint or codegen tools in the image; esbuild (which compiles the sources) is a dependency.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN node scripts/build.mjs

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# APP_ENV picks config/production.json (GraphiQL and introspection off, suggestions masked); secrets such as
# FLY_API_TOKEN, REDIS_URL and WEBHOOK_SECRET come from the environment at run time, never from the image.
ENV NODE_ENV=production \
    APP_ENV=production \
    PORT=4000
# Owned by root and read-only to the process: the gateway writes nothing under /app.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/dist ./dist
COPY package.json ./
COPY config ./config
USER node
EXPOSE 4000
# Liveness from inside the container with node itself (the slim image has no curl). It follows PORT if overridden.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The gateway drains on SIGTERM (SHUTDOWN_GRACE_MS). node runs as PID 1 itself (not through npm), so it gets the signal.
STOPSIGNAL SIGTERM
# dist/ is what `npm start` runs too; its source maps point stack traces at src/ (not in the image: file and line only).
CMD ["node", "--enable-source-maps", "dist/main.js"]

# image-edits-sandbox as a service container: `docker build -t image-edits-sandbox .`
# then `docker run -p 4010:4010 image-edits-sandbox`. The steps are the README's quick start
# (`npm ci && npm start`): `npm ci` builds dist/ through `prepare`, and CMD is what
# `npm start` runs, without npm in between so SIGTERM reaches the server and it drains.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json openapi.yaml ./
COPY server ./server
COPY scripts/mark-bins-executable.js ./scripts/
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
# Inside a container the sandbox must listen on every interface, not only loopback.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4010
COPY --from=build /app/package.json /app/openapi.yaml ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/server/controls/dashboard ./server/controls/dashboard
# The base image's unprivileged user; nothing in /app needs to be writable.
USER node
EXPOSE 4010
# node is the only tool the slim image has for HTTP; fetch is built into Node 20.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4010) + '/__sandbox/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `env` sets glibc's allocator to two arenas (README, Performance) and execs node, which stays PID 1.
CMD ["env", "MALLOC_ARENA_MAX=2", "node", "dist/server/main.js"]

# syntax=docker/dockerfile:1
# Meshlens container image: `docker build -t meshlens .` from the repository root.
# Three stages: build (all dependencies, compile), deps (production dependencies of the server only), runtime
# (node:20-bookworm-slim with the compiled files, those dependencies and the web app; runs as UID 10001).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && npm run build

# Production dependencies of @meshlens/server and the workspaces it uses, nothing of the web app's, tests' or
# tooling's: every workspace's package.json is copied so that the lockfile matches, only the server's tree installed.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY packages/model/package.json packages/model/
COPY packages/mesh/package.json packages/mesh/
COPY packages/demo/package.json packages/demo/
COPY packages/sources/package.json packages/sources/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
COPY deploy/package.json deploy/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace @meshlens/server && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    MESHLENS_HOST=0.0.0.0 \
    MESHLENS_PORT=20080
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/package.json ./package.json
COPY --from=build /src/packages/model/package.json packages/model/package.json
COPY --from=build /src/packages/model/dist packages/model/dist
COPY --from=build /src/packages/mesh/package.json packages/mesh/package.json
COPY --from=build /src/packages/mesh/dist packages/mesh/dist
COPY --from=build /src/packages/demo/package.json packages/demo/package.json
COPY --from=build /src/packages/demo/dist packages/demo/dist
COPY --from=build /src/packages/demo/scenarios packages/demo/scenarios
COPY --from=build /src/packages/demo/traffic packages/demo/traffic
COPY --from=build /src/packages/sources/package.json packages/sources/package.json
COPY --from=build /src/packages/sources/dist packages/sources/dist
COPY --from=build /src/apps/server/package.json apps/server/package.json
COPY --from=build /src/apps/server/bin apps/server/bin
COPY --from=build /src/apps/server/dist apps/server/dist
COPY --from=build /src/apps/web/dist apps/web/dist
# A numeric, non-root user (Kubernetes' runAsNonRoot can only verify a numeric USER); files stay root-owned and
# read-only to it, and the Deployment mounts an emptyDir on /tmp for the one thing it writes.
RUN groupadd --system --gid 10001 meshlens && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin meshlens
USER 10001:10001
EXPOSE 20080
ENTRYPOINT ["node", "apps/server/bin/meshlens.js"]
CMD ["serve", "--in-cluster"]

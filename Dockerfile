# One image for the worker, the bridge and the operator CLI. Not built on the project's own machines
# (no Docker engine there); `node bin/kafka-pipeline.js <worker|bridge|...>` runs the same entry points locally.
FROM node:24.22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/delta-lake/package.json ./packages/delta-lake/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY packages/delta-lake/tsconfig.json ./packages/delta-lake/
COPY packages/delta-lake/src ./packages/delta-lake/src
COPY src ./src
# Stand-ins for `start --demo` and the sample commands (compiled beside src/, never loaded by the worker or bridge).
COPY dev ./dev
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev
# @temporalio/core-bridge ships its native library for five platforms (~28 MB each); keep only the one this image
# runs on. The build stage runs on the target platform (linux/amd64, or linux/arm64 with
# `docker buildx build --platform linux/arm64`), so the package's own lookup names the binary to keep, and the
# build fails if that binary is missing.
RUN keep="$(node -p "require('@temporalio/core-bridge/common').getPrebuiltTargetName()")" \
 && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 ! -name "$keep" -exec rm -rf {} + \
 && node -e "require('@temporalio/core-bridge/common').getPrebuiltPath()"

FROM node:24.22-bookworm-slim
ENV NODE_ENV=production
# V8 flags of every process (worker, bridge, DLQ monitor, CLI): PROCESS_NODE_OPTIONS in src/worker/node-options.ts.
ENV NODE_OPTIONS=--max-semi-space-size=4
# glibc malloc arenas, for every process: PROCESS_MALLOC_ENV in src/worker/node-options.ts.
ENV MALLOC_ARENA_MAX=2
ENV MALLOC_MMAP_THRESHOLD_=131072
ENV MALLOC_TRIM_THRESHOLD_=131072
ENV KP_RUN_COMPILED=1
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# node_modules/@kafka-pipeline/delta-lake links here: the package's manifest and compiled code only.
COPY --from=build /app/packages/delta-lake/package.json ./packages/delta-lake/
COPY --from=build /app/packages/delta-lake/dist ./packages/delta-lake/dist
COPY package.json ./
COPY bin ./bin
# The base image's `node` user, by number so the kubelet can check runAsNonRoot (deploy/k8s runs it as 1000).
USER 1000:1000
EXPOSE 8000
ENTRYPOINT ["node", "bin/kafka-pipeline.js"]
CMD ["--help"]

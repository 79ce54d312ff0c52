# The BoltBudget operator image:
#   docker build -t ghcr.io/boltbudget/operator:0.1.0 .
# test/e2e/image-layout.test.ts reproduces the runtime stage without a container engine (the same
# production install, the same files, read-only, the same ENTRYPOINT) and lints this file with hadolint.

# Build: every dependency, then TypeScript to dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the only install script in the lockfile is the dev-only `node` package's, which
# downloads a second Node runtime; this image already has Node 24.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only (no `node` package, no compiler, no test tools).
FROM node:24-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Runtime: Node 24 on distroless (no shell, no package manager), non-root, nothing written to the root
# filesystem, so it runs with readOnlyRootFilesystem.
FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
USER 65532:65532
EXPOSE 8080
# Node is PID 1 and handles SIGTERM itself (src/main.ts: stop acting, release the Lease, drain, exit 0
# within 10 s). No shell and no init in between.
ENTRYPOINT ["/nodejs/bin/node", "dist/main.js"]

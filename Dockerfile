# syntax=docker/dockerfile:1
# One image for the four Vigie services; the command picks the service:
#   docker build -t vigie .
#   docker run vigie dist/services/correlator/src/main.js
# The services are compiled to JavaScript with SWC (`npm run build`, tools/build.ts): no TypeScript tool
# chain in the image and no transpiling at start-up. Same Node as the project pins (package.json's
# `node` dev dependency); pin a digest too (node:…@sha256:…) where your registry policy asks for it.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: nothing built here needs them (SWC's binary is an optional dependency), and
# the `node` package would fetch a second Node.
RUN npm ci --ignore-scripts --no-audit --no-fund
# kafkajs' and avsc's hot paths patched (patches/, see the README's design notes), as `npm ci` does outside Docker.
COPY patches patches
RUN npx --no-install patch-package
COPY tsconfig.json tsconfig.base.json ./
COPY tools tools
COPY libs libs
COPY services services
# Also what the tools read (this stage doubles as the `vigie-tools` image: topics:create).
COPY schemas schemas
COPY deploy/config deploy/config
RUN node -r ./tools/register.js tools/build.ts

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# patch-package is a dev dependency: take the patched packages from the build stage (one line per
# file in patches/; test/ops checks it).
COPY --from=build /src/node_modules/kafkajs node_modules/kafkajs
COPY --from=build /src/node_modules/avsc node_modules/avsc

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root, run as the image's unprivileged `node` user (uid 1000, numeric so that
# Kubernetes' runAsNonRoot can verify it): the process cannot rewrite its code.
COPY --from=production-dependencies /src/node_modules node_modules
COPY --from=build /src/dist dist
COPY package.json ./
COPY schemas schemas
COPY deploy/config deploy/config
USER 1000:1000
EXPOSE 8081 8082 8083 8084
# Node receives SIGTERM directly (exec form, PID 1): the services drain, commit and leave their group.
# The V8 flags are libs/config's SERVICE_NODE_FLAGS (the test harness uses them too; test/ops checks
# they match). Compose and Kubernetes pass only the script, so every deployment runs with them.
ENTRYPOINT ["node", "--enable-source-maps", "--max-semi-space-size=16"]
CMD ["dist/services/ingest/src/main.js"]

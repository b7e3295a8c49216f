# syntax=docker/dockerfile:1
# One image for every app; pick the app with the command (see docker-compose.yml):
#   api          node dist/apps/api/src/main.js          (default)
#   worker       node dist/apps/worker/src/main.js
#   recommender  node dist/apps/recommender/src/main.js
#   migrations   node dist/apps/cli/src/main.js migrate
#   demo data    node dist/apps/cli/src/main.js seed-demo
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install everything, compile TypeScript with swc, then drop dev dependencies --------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# No install-time telemetry (swagger-ui-dist pulls in @scarf/scarf).
ENV SCARF_ANALYTICS=false
# Extra `npm ci` flags. `--omit=optional` skips @tensorflow/tfjs-node (its installer downloads
# libtensorflow); the recommender then runs TF.js on wasm (docs/adr/0004-tfjs-backend-selection.md).
ARG NPM_CI_FLAGS=""
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund ${NPM_CI_FLAGS}
COPY .swcrc tsconfig.json ./
COPY apps ./apps
COPY libs ./libs
COPY ml ./ml
COPY console ./console
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled code, production node_modules and the data files swc does not copy -------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Data files are resolved from the source tree at run time (the folder holding package.json).
COPY --from=build /app/libs/db/migrations ./libs/db/migrations
COPY --from=build /app/libs/demo/data ./libs/demo/data
# Files are owned by root and read-only for the app; it runs as the image's unprivileged `node` user.
USER node
EXPOSE 3000 3001 3002
CMD ["node", "dist/apps/api/src/main.js"]

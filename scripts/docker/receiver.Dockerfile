# The receiver image `deploy` runs in the cluster (`logtap recv --headless …` in the receiver pod): the compiled
# `logtap` binary at /logtap. Build from the repository root:
#   docker build -f scripts/docker/receiver.Dockerfile -t ghcr.io/ppiankov/logtap:latest .
# (add --build-arg LOGTAP_BUILD_COMMIT=$(git rev-parse --short HEAD): the context has no .git).

FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY bunfig.toml tsconfig.json SKILL.md ./
COPY src src
COPY pipeline pipeline
COPY scripts scripts
ARG LOGTAP_BUILD_COMMIT=none
RUN LOGTAP_BUILD_COMMIT=$LOGTAP_BUILD_COMMIT node_modules/.bin/bun scripts/build.ts --outfile /out/logtap

# glibc only (see forwarder/Dockerfile); the capture directory is the pod's volume at /data, written as nonroot.
FROM gcr.io/distroless/base-nossl-debian12:nonroot
COPY --from=build /out/logtap /logtap
USER nonroot
EXPOSE 9000
ENTRYPOINT ["/logtap"]

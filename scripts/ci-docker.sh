#!/usr/bin/env bash
# Prepares Docker for the connector acceptance suite in CI (.ci/run calls it after `npm ci`):
#   1. installs docker.io when dockerd is missing (Debian/Ubuntu, needs root or sudo)
#   2. starts dockerd without a bridge (containers use --network host) unless an engine answers
#   3. builds the runtime and CLI, then the base image: FROM the official Node image when it is
#      present or pullable, else FROM a local image made with `docker import` (scripts/docker-base.sh)
#   4. builds every connector image (skipped when already up to date)
# Then `MANIFOLD_REQUIRE_DOCKER=1 npm test` runs the suite against the images and fails, rather
# than skips, if Docker went away.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
log() { echo "ci-docker: $*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

if ! command -v dockerd >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
  log "installing docker.io"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (no bridge; containers use --network host); log in /tmp/dockerd.log"
  as_root sh -c 'nohup dockerd --bridge=none --iptables=false --ip-masq=false > /tmp/dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    log "dockerd did not come up within 60 s:"
    tail -n 30 /tmp/dockerd.log || true
    exit 1
  fi
fi
log "engine $(docker version --format '{{.Server.Version}}')"

# The CLI the base image bundles.
npx turbo run build --filter=@manifold/cli --output-logs=errors-only

if [ -z "${MANIFOLD_BASE_IMAGE:-}" ]; then
  official=$(sed -nE 's/^ARG BASE_IMAGE=(.+)$/\1/p' docker/Dockerfile)
  if docker image inspect "$official" >/dev/null 2>&1 || timeout 60 docker pull -q "$official" >/dev/null 2>&1; then
    export MANIFOLD_BASE_IMAGE="$official"
  else
    log "$official is not available (no registry): importing a local Node base"
    MANIFOLD_BASE_IMAGE=$(scripts/docker-base.sh | tail -n 1)
    export MANIFOLD_BASE_IMAGE
  fi
fi
log "base FROM $MANIFOLD_BASE_IMAGE"

node scripts/build-image.mjs --all --require-docker
log "ready in $(( $(date +%s) - started )) s"

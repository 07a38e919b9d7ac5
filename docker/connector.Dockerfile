# syntax=docker/dockerfile:1
# A connector image: the manifold base plus the connector's manifest.yaml (and schemas/ if any).
# Build context: a temporary folder scripts/build-image.mjs fills with integration_code/ (the
# connector's manifest.yaml, and schemas/ if it has one — never its test fixtures); the build args
# come from metadata.yaml.
ARG BASE=manifold/source-declarative-manifest:dev
FROM ${BASE}

ARG CONNECTOR_NAME
ARG CONNECTOR_VERSION
LABEL io.airbyte.name="${CONNECTOR_NAME}" \
      io.airbyte.version="${CONNECTOR_VERSION}"
ENV AIRBYTE_ENTRYPOINT="node --snapshot-blob /app/source-declarative-manifest.blob"

COPY integration_code/ /airbyte/integration_code/

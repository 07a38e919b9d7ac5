import { createAirbyteImageDestination } from './airbyte-image/airbyte-image-destination.js';
import { type DestinationConfig, destinationSpecs } from './config.js';
import type { Destination } from './destination.js';
import { createDuckDBDestination } from './duckdb/duckdb-destination.js';
import { DestinationError } from './errors.js';
import { createJsonlDestination } from './jsonl/jsonl-destination.js';
import { createPostgresDestination } from './postgres/postgres-destination.js';

/** The destination a config describes. Connecting happens later (check/open), never here. */
export function createDestination(config: DestinationConfig): Destination {
  assertConfigShape(config);
  switch (config.type) {
    case 'duckdb':
      return createDuckDBDestination(config);
    case 'jsonl':
      return createJsonlDestination(config);
    case 'postgres':
      return createPostgresDestination(config);
    case 'airbyte-image':
      return createAirbyteImageDestination(config);
    default: {
      const type = (config as { type?: unknown }).type;
      throw new DestinationError(
        'DEST_CONFIG_INVALID',
        `destination type ${JSON.stringify(type)} is unknown. Available: duckdb, jsonl, postgres, airbyte-image`,
      );
    }
  }
}

const JSON_TYPE_CHECKS: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  integer: (value) => Number.isInteger(value),
  boolean: (value) => typeof value === 'boolean',
  object: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  array: (value) => Array.isArray(value),
};

/** Required fields present and of their type, so a bad config fails here and not deep in a driver. */
function assertConfigShape(config: DestinationConfig): void {
  const spec = destinationSpecs[config.type] as { required?: string[]; properties?: Record<string, { type?: string }> } | undefined;
  if (!spec) return;
  const fields = config as unknown as Record<string, unknown>;
  for (const [name, property] of Object.entries(spec.properties ?? {})) {
    const value = fields[name];
    if (value === undefined && !spec.required?.includes(name)) continue;
    const check = property.type ? JSON_TYPE_CHECKS[property.type] : undefined;
    const emptyRequired = value === '' && spec.required?.includes(name);
    if (value === undefined || emptyRequired || (check && !check(value))) {
      throw new DestinationError(
        'DEST_CONFIG_INVALID',
        `destination config (${config.type}): '${name}' ${value === undefined ? 'is required' : `must be ${property.type === 'string' ? 'a non-empty string' : `of type ${property.type}`}`}`,
      );
    }
  }
}

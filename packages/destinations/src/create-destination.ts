import { createAirbyteImageDestination } from './airbyte-image/airbyte-image-destination.js';
import type { DestinationConfig } from './config.js';
import type { Destination } from './destination.js';
import { createDuckDBDestination } from './duckdb/duckdb-destination.js';
import { DestinationError } from './errors.js';
import { createJsonlDestination } from './jsonl/jsonl-destination.js';
import { createPostgresDestination } from './postgres/postgres-destination.js';

/** The destination a config describes. Connecting happens later (check/open), never here. */
export function createDestination(config: DestinationConfig): Destination {
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

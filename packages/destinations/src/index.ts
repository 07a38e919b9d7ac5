export type { Destination, DestinationStream, DestinationSyncMode, DestinationWriter, StateMessage } from './destination.js';
export { type DestinationConfig, type DestinationType, destinationSpecs } from './config.js';
export { createDestination } from './create-destination.js';
export { DestinationError, type DestinationErrorCode, DestinationErrorCodes } from './errors.js';
export { createDuckDBDestination } from './duckdb/duckdb-destination.js';
export { createJsonlDestination } from './jsonl/jsonl-destination.js';
export { createPostgresDestination } from './postgres/postgres-destination.js';
export { createAirbyteImageDestination } from './airbyte-image/airbyte-image-destination.js';

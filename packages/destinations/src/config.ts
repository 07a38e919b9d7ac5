/** How the workspace describes where a connection writes. */
export type DestinationConfig =
  | { type: 'duckdb'; path: string }
  | { type: 'jsonl'; directory: string }
  | { type: 'postgres'; host: string; port: number; database: string; user: string; password?: string; schema?: string; ssl?: boolean }
  | {
      type: 'airbyte-image';
      image: string;
      config: Record<string, unknown>;
      /** Where committed state is kept; default ~/.manifold/destination-state. */
      stateDirectory?: string;
      /** Replaces `docker run --rm -i --network host -v <dir>:/tmp/cfg <image>` (tests, other runtimes). */
      command?: string[];
    };

export type DestinationType = DestinationConfig['type'];

/** JSON Schema of each destination type's config, for validating configs before use. */
export const destinationSpecs: Record<DestinationType, Record<string, unknown>> = {
  duckdb: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'DuckDB',
    type: 'object',
    required: ['type', 'path'],
    additionalProperties: false,
    properties: {
      type: { const: 'duckdb' },
      path: { type: 'string', minLength: 1, description: 'Path of the .duckdb file (created when missing).' },
    },
  },
  jsonl: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'JSON Lines',
    type: 'object',
    required: ['type', 'directory'],
    additionalProperties: false,
    properties: {
      type: { const: 'jsonl' },
      directory: { type: 'string', minLength: 1, description: 'Directory holding one <stream>.jsonl per stream.' },
    },
  },
  postgres: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Postgres',
    type: 'object',
    required: ['type', 'host', 'port', 'database', 'user'],
    additionalProperties: false,
    properties: {
      type: { const: 'postgres' },
      host: { type: 'string', minLength: 1 },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: 5432 },
      database: { type: 'string', minLength: 1 },
      user: { type: 'string', minLength: 1 },
      password: { type: 'string', airbyte_secret: true },
      schema: { type: 'string', minLength: 1, default: 'public', description: 'Schema for streams without namespace and for the state table.' },
      ssl: { type: 'boolean', default: false },
    },
  },
  'airbyte-image': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Airbyte destination image',
    type: 'object',
    required: ['type', 'image', 'config'],
    additionalProperties: false,
    properties: {
      type: { const: 'airbyte-image' },
      image: { type: 'string', minLength: 1, description: 'Docker image of an Airbyte destination, e.g. airbyte/destination-duckdb:latest.' },
      config: { type: 'object', description: "The destination's own config (validated by the image's spec)." },
      stateDirectory: { type: 'string', minLength: 1, description: 'Where committed state is kept; default ~/.manifold/destination-state.' },
      command: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Command replacing `docker run ... <image>`.' },
    },
  },
};

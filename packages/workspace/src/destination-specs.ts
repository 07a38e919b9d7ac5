/**
 * The JSON schema of each destination type's config: which fields exist, which are required and
 * which are secrets (`airbyte_secret`). @manifold/destinations publishes `destinationSpecs`;
 * these are used when it is not installed, and for the airbyte-image type the whole `config`
 * (the image's own config, whose spec we cannot see without running the image) is a secret.
 */
import type { DestinationType } from './destination.js';

type Schema = Record<string, unknown>;

export const FALLBACK_DESTINATION_SPECS: Record<DestinationType, Schema> = {
  duckdb: {
    type: 'object',
    required: ['path'],
    properties: { type: { const: 'duckdb' }, path: { type: 'string', title: 'Database file' } },
  },
  jsonl: {
    type: 'object',
    required: ['directory'],
    properties: { type: { const: 'jsonl' }, directory: { type: 'string', title: 'Directory' } },
  },
  postgres: {
    type: 'object',
    required: ['host', 'port', 'database', 'user'],
    properties: {
      type: { const: 'postgres' },
      host: { type: 'string' },
      port: { type: 'integer' },
      database: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string', airbyte_secret: true },
      schema: { type: 'string' },
      ssl: { type: 'boolean' },
    },
  },
  'airbyte-image': {
    type: 'object',
    required: ['image', 'config'],
    properties: {
      type: { const: 'airbyte-image' },
      image: { type: 'string' },
      config: { type: 'object', airbyte_secret: true },
    },
  },
};

import { Ajv, type ErrorObject } from 'ajv';
import type { Json } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';

/**
 * Validates a config against the spec's connection_specification, as the CDK does before check,
 * discover and read (draft-07; `format` is not asserted there, so not here either).
 */
export function validateConfig(config: Json, connectionSpecification: Json | undefined): void {
  if (!connectionSpecification) return;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  let validate;
  try {
    validate = ajv.compile(stripSchemaKeywords(connectionSpecification));
  } catch (error) {
    throw new RuntimeError('MANIFEST_INVALID', `spec.connection_specification is not a valid JSON Schema: ${(error as Error).message}`, {
      path: 'spec.connection_specification',
    });
  }
  if (validate(config)) return;
  const errors = (validate.errors ?? []).map(describeError);
  throw new RuntimeError('CONFIG_INVALID', `Config validation error: ${errors.join('; ')}`, {
    help: 'Fix the config so it matches the connector spec',
  });
}

function describeError(error: ErrorObject): string {
  const field = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : '';
  switch (error.keyword) {
    case 'required':
      return `'${field ? `${field}.` : ''}${String(error.params.missingProperty)}' is a required property`;
    case 'type':
      return `'${field}' must be ${String(error.params.type)}`;
    case 'enum':
      return `'${field}' must be one of ${JSON.stringify(error.params.allowedValues)}`;
    default:
      return `'${field || '(config)'}' ${error.message ?? 'is invalid'}`;
  }
}

/** `$schema` of another draft would make ajv refuse the schema; drop it (the CDK ignores it too). */
function stripSchemaKeywords(schema: Json): Json {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

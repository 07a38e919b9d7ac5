/**
 * Where Destination implementations come from: @manifold/destinations, imported when first
 * needed so the store and most of the CLI never load database drivers. Tests pass their own
 * factory instead.
 */
import type { CreateDestination, DestinationType } from './destination.js';
import { FALLBACK_DESTINATION_SPECS } from './destination-specs.js';
import { WorkspaceError } from './errors.js';

export interface DestinationsModule {
  createDestination: CreateDestination;
  destinationSpecs: Record<DestinationType, Record<string, unknown>>;
}

export async function loadDestinationsModule(): Promise<DestinationsModule> {
  let module: typeof import('@manifold/destinations');
  try {
    module = await import('@manifold/destinations');
  } catch (cause) {
    throw new WorkspaceError('DESTINATIONS_MISSING', `@manifold/destinations cannot be loaded: ${(cause as Error).message}`, {
      cause,
      help: 'Build it with `npx turbo run build --filter=@manifold/destinations`',
    });
  }
  // The destinations' contract may grow optional parameters; ours is the part the runner uses.
  const createDestination: CreateDestination = module.createDestination;
  return { createDestination, destinationSpecs: withSecretImageConfig(module.destinationSpecs) };
}

/**
 * An airbyte-image destination's `config` is the image's own config, whose secret fields only
 * the image's spec knows: the workspace keeps all of it encrypted.
 */
function withSecretImageConfig(specs: Record<DestinationType, Record<string, unknown>>): Record<DestinationType, Record<string, unknown>> {
  const image = specs['airbyte-image'] ?? FALLBACK_DESTINATION_SPECS['airbyte-image'];
  const properties = (image.properties ?? {}) as Record<string, Record<string, unknown>>;
  return {
    ...specs,
    'airbyte-image': { ...image, properties: { ...properties, config: { ...properties.config, airbyte_secret: true } } },
  };
}

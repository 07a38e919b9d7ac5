/**
 * Where Destination implementations come from: @manifold/destinations, loaded when first needed
 * so the store and most of the CLI work without database drivers. Tests pass their own factory.
 */
import type { CreateDestination, DestinationType } from './destination.js';
import { FALLBACK_DESTINATION_SPECS } from './destination-specs.js';
import { WorkspaceError } from './errors.js';

export interface DestinationsModule {
  createDestination: CreateDestination;
  destinationSpecs: Record<DestinationType, Record<string, unknown>>;
}

const PACKAGE = '@manifold/destinations';

export async function loadDestinationsModule(): Promise<DestinationsModule> {
  let module: Partial<DestinationsModule>;
  try {
    module = (await import(PACKAGE)) as Partial<DestinationsModule>;
  } catch (cause) {
    throw new WorkspaceError('DESTINATIONS_MISSING', `${PACKAGE} cannot be loaded: ${(cause as Error).message}`, {
      cause,
      help: `Build it with \`npx turbo run build --filter=${PACKAGE}\``,
    });
  }
  if (typeof module.createDestination !== 'function') {
    throw new WorkspaceError('DESTINATIONS_MISSING', `${PACKAGE} does not export createDestination`);
  }
  return { createDestination: module.createDestination, destinationSpecs: module.destinationSpecs ?? FALLBACK_DESTINATION_SPECS };
}

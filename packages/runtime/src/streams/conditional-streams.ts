import type { Json } from '../context.js';
import { RuntimeError, isRuntimeError } from '../errors/runtime-error.js';
import type { Model } from '../factory/build-context.js';
import { InterpolatedBoolean } from '../interpolation/index.js';

/** A stream model of the manifest's `streams` list, with where it sits in the manifest. */
export interface StaticStreamModel {
  model: Model;
  /** Path segments from the root: ['streams', 2] or ['streams', 2, 'streams', 0]. */
  path: (string | number)[];
}

/**
 * The streams the manifest's `streams` list defines for this config. A ConditionalStreams entry
 * contributes its `streams` when its `condition` is true for the config, and nothing otherwise;
 * every other entry is a stream. The condition sees the config only: the CDK evaluates it with
 * no $parameters, before any stream is built, so discover, check and read all see the same list.
 */
export function staticStreamModels(manifest: Model, config: Json): StaticStreamModel[] {
  const entries = (manifest.streams as Model[] | undefined) ?? [];
  const out: StaticStreamModel[] = [];
  entries.forEach((entry, index) => {
    if (entry?.type !== 'ConditionalStreams') {
      out.push({ model: entry, path: ['streams', index] });
      return;
    }
    if (!conditionHolds(entry, config, index)) return;
    const streams = Array.isArray(entry.streams) ? (entry.streams as Model[]) : [];
    streams.forEach((model, inner) => out.push({ model, path: ['streams', index, 'streams', inner] }));
  });
  return out;
}

function conditionHolds(entry: Model, config: Json, index: number): boolean {
  const condition = entry.condition;
  const path = `streams[${index}].condition`;
  if (typeof condition !== 'string' && typeof condition !== 'boolean') {
    throw new RuntimeError('MANIFEST_INVALID', 'ConditionalStreams needs a condition (a template over the config)', { path });
  }
  try {
    return new InterpolatedBoolean(condition, {}).eval(config);
  } catch (error) {
    if (isRuntimeError(error) && error.path === undefined) error.path = path;
    throw error;
  }
}

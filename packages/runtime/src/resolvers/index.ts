import type { Model } from '../factory/build-context.js';
import type { DeclarativeSource } from '../source/declarative-source.js';
import { fullyResolvedManifest } from './dynamic-streams.js';

export { type GeneratedStream, fullyResolvedManifest, resolveDynamicStreamModels } from './dynamic-streams.js';

/**
 * The CDK's full_resolve_manifest: the source's resolved manifest with the streams generated from
 * dynamic_streams appended to `streams`. Every stream carries `dynamic_stream_name` (null for the
 * static ones); `maxStreams` keeps at most that many generated streams per definition.
 */
export async function resolveDynamicStreams(source: DeclarativeSource, options: { maxStreams?: number } = {}): Promise<Model> {
  const generated = await source.dynamicStreams();
  return fullyResolvedManifest(source.manifest, generated, options.maxStreams);
}

import type { DestinationStream } from '../destination.js';

/** The configured catalog an Airbyte destination's `write` expects, built from our stream list. */
export function configuredCatalog(streams: DestinationStream[], options: { generationId: number; syncId: string }): Record<string, unknown> {
  return {
    streams: streams.map((stream) => {
      const incremental = stream.syncMode === 'incremental_append' || stream.syncMode === 'incremental_append_dedup';
      const overwrite = stream.syncMode === 'full_refresh_overwrite';
      return {
        stream: {
          name: stream.name,
          ...(stream.namespace ? { namespace: stream.namespace } : {}),
          json_schema: stream.jsonSchema,
          supported_sync_modes: incremental ? ['full_refresh', 'incremental'] : ['full_refresh'],
          ...(stream.primaryKey.length > 0 ? { source_defined_primary_key: stream.primaryKey } : {}),
        },
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: overwrite ? 'overwrite' : stream.syncMode === 'incremental_append_dedup' ? 'append_dedup' : 'append',
        primary_key: stream.primaryKey,
        cursor_field: stream.cursorField,
        generation_id: options.generationId,
        // Equal to generation_id asks the destination to truncate (an overwrite); 0 keeps earlier generations.
        minimum_generation_id: overwrite ? options.generationId : 0,
        sync_id: Number.isSafeInteger(Number(options.syncId)) ? Number(options.syncId) : 0,
      };
    }),
  };
}

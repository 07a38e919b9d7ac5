import type { Json } from '../context.js';

/** Context a record transformation or filter sees; mirrors the CDK's kwargs. */
export interface RecordContext {
  /** The stream slice view (partition + cursor slice, with extra_fields). */
  stream_slice: Json;
  next_page_token?: Json | undefined;
  /** The stream's name, for AddFields templates that use parameters['name'] etc. */
  stream_name?: string;
}

/** Mutates the record in place (as the CDK does) for speed; the record is ours alone. */
export interface RecordTransformation {
  transform(record: Json, context: RecordContext): void;
}

import { authBuilders } from '../auth/builders.js';
import { configRuleBuilders } from '../config/normalization-rules.js';
import { decoderBuilders } from '../decoders/builders.js';
import { errorHandlerBuilders } from '../error-handlers/builders.js';
import { buildDpathExtractor } from '../extractors/dpath-extractor.js';
import { recordExpanderBuilders } from '../extractors/record-expander.js';
import { recordFilterBuilders } from '../extractors/record-filter.js';
import { partitionBuilders } from '../partitioning/builders.js';
import { buildUnionPartitionRouter } from '../partitioning/union.js';
import { paginatorBuilders } from '../paginators/builders.js';
import { rateLimitBuilders } from '../rate-limiting/builders.js';
import { requesterBuilders } from '../requesters/builders.js';
import { buildDeclarativeStream } from '../streams/build-stream.js';
import { buildDynamicSchemaLoader } from '../streams/schema-loaders/dynamic-schema-loader.js';
import { buildStateDelegatingStream } from '../streams/state-delegating-stream.js';
import { schemaLoaderBuilders } from '../streams/schema-loaders/schema-loader.js';
import { transformationBuilders } from '../transformations/builders.js';
import { configTransformationBuilders } from '../transformations/config-transformations.js';
import type { Builder } from './build-context.js';

/**
 * Component type → builder. A plain list: each concern exports its builders beside its
 * components, and this file only assembles them.
 */
export function createRegistry(): ReadonlyMap<string, Builder> {
  return new Map<string, Builder>(
    Object.entries({
      ...authBuilders,
      ...configRuleBuilders,
      ...configTransformationBuilders,
      ...recordExpanderBuilders,
      ...decoderBuilders,
      ...errorHandlerBuilders,
      ...recordFilterBuilders,
      ...partitionBuilders,
      ...paginatorBuilders,
      ...rateLimitBuilders,
      ...requesterBuilders,
      ...schemaLoaderBuilders,
      ...transformationBuilders,
      DpathExtractor: buildDpathExtractor,
      DeclarativeStream: buildDeclarativeStream,
      StateDelegatingStream: buildStateDelegatingStream,
      UnionPartitionRouter: buildUnionPartitionRouter,
      DynamicSchemaLoader: buildDynamicSchemaLoader,
    }),
  );
}

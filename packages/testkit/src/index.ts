export { startMockApi } from './mock-api.js';
export type { MockApi, MockApiOptions, MockContext, MockHandler, MockRequest, MockResponse, MockRoute } from './mock-api.js';
export { faults } from './faults.js';
export { paginate } from './paginate.js';
export type { PaginateOptions, PaginationStyle } from './paginate.js';
export { errors, lastState, logs, parseMessages, records, states, streamStatuses, traces } from './messages.js';
export type {
  AirbyteConnectionStatus,
  AirbyteErrorTraceMessage,
  AirbyteLogLevel,
  AirbyteLogMessage,
  AirbyteMessage,
  AirbyteMessageType,
  AirbyteRecordMessage,
  AirbyteStateMessage,
  AirbyteStreamStatusTraceMessage,
  AirbyteTraceMessage,
  StreamDescriptor,
} from './messages.js';
export { configuredCatalog, stateFile, streamState } from './catalog.js';
export type {
  AirbyteStream,
  CatalogStreamSpec,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
  DestinationSyncMode,
  StreamStateEntry,
  SyncMode,
} from './catalog.js';

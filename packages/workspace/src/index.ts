/** @manifold/workspace: the public API (the CLI and the Builder server use only this). */
export {
  openWorkspace,
  defaultWorkspaceDir,
  parseConnectorRef,
  Workspace,
  type WorkspaceOptions,
  type CreateSourceInput,
  type CreateConnectionInput,
  type ConnectionChanges,
} from './workspace.js';
export type {
  Connection,
  ConnectionStream,
  Connector,
  ConnectorRef,
  ConnectorVersion,
  DestinationEntry,
  Json,
  Project,
  Schedule,
  Source,
  SourceRuntime,
  StreamStats,
  SyncEntry,
  SyncStatus,
} from './model.js';
export {
  DESTINATION_TYPES,
  SYNC_MODES,
  type CreateDestination,
  type Destination,
  type DestinationConfig,
  type DestinationStream,
  type DestinationSyncMode,
  type DestinationType,
  type DestinationWriter,
  type StateMessage,
} from './destination.js';
export type { DiscoveredStream } from './sources/source-process.js';
export { defaultSyncMode } from './catalog.js';
export { slug } from './store/connectors.js';
export type { SyncOptions, SyncResult } from './sync/run-sync.js';
export type { ProgressListener, StreamProgress, SyncProgress } from './sync/progress.js';
export { SECRET_MASK } from './secrets/secret-fields.js';
export { SECRET_KEY_ENV } from './secrets/secret-key.js';
export { INTERRUPTED } from './store/history.js';
export { WorkspaceError, isWorkspaceError, type WorkspaceErrorCode } from './errors.js';
export { nextRun, parseCron, validateCron, type CronSchedule } from './schedule/cron.js';
export { describeSchedule, nextScheduledRun, validateSchedule } from './schedule/schedule.js';
export { startScheduler, type SchedulerEvent, type SchedulerHandle, type SchedulerOptions } from './schedule/scheduler.js';

export { startFixtureApi, withMockUrl } from './fixture-api.js';
export type { FixtureApi, FixtureAuth, FixtureFilter, FixtureRoute } from './fixture-api.js';
export { dockerRunner, localRunner } from './runner.js';
export type { ConnectorRunner, RunResult } from './runner.js';
export { loadConnector, selectedConnectors, ROOT, CONNECTORS_DIR } from './connectors.js';
export type { Connector } from './connectors.js';
export { canonicalRecords, compareCursor, compileSchema, newAjv, unmarkedSecrets, valueAt } from './checks.js';

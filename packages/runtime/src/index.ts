/** The runtime's public API: small on purpose. */
export { runEntrypoint, DEFAULT_MANIFEST_PATH, INJECTED_MANIFEST_KEY, type EntrypointIO } from './entrypoint.js';
export { DeclarativeSource, specOf } from './source/declarative-source.js';
export { resolveDynamicStreams } from './resolvers/index.js';
export { readSource, parseState, parseCatalog, describeError, type ConfiguredCatalog } from './source/read.js';
export { loadManifest, loadManifestFile, prepareManifest, validateManifest, type LoadedManifest } from './manifest/index.js';
export { RuntimeError, isRuntimeError } from './errors/runtime-error.js';
export type { ErrorCode, FailureType } from './errors/codes.js';
export type { AirbyteMessage } from './protocol/messages.js';
export { MessageWriter } from './protocol/writer.js';
export { stringifyJson } from './protocol/stringify-json.js';
export { mayHoldUnsafeInteger, parseJsonExact, parseJsonLossless } from './decoders/lossless-json.js';
export { SecretMasker, collectSecrets, MASK } from './logging/mask.js';
export { createLogger, silentLogger } from './logging/logger.js';
export { UndiciHttpClient, type HttpClient } from './requesters/http-client.js';
export type { RunContext, HttpExchange, ReadObserver, Json } from './context.js';
export { validateConfig } from './config/validate-config.js';

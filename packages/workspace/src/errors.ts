/**
 * The workspace's one error class. Callers branch on `code`; `help` says what to do next and is
 * what the CLI prints under the message.
 */
export const WorkspaceErrorCodes = {
  NOT_FOUND: 'a named thing does not exist in the workspace',
  NAME_TAKEN: 'a name is already used by another thing of the same kind',
  AMBIGUOUS: 'a name matches more than one thing',
  INVALID_INPUT: 'bad input: a flag, a file or a field',
  CONFIG_INVALID: "a config does not match the connector's spec",
  SECRET_KEY: 'the secret key is missing, malformed or does not decrypt the secrets',
  SYNC_RUNNING: 'a sync of the connection is already running',
  SYNC_FAILED: 'a sync failed',
  DESTINATIONS_MISSING: '@manifold/destinations is not installed',
  CORRUPT_FILE: 'a workspace file cannot be parsed',
} as const;

export type WorkspaceErrorCode = keyof typeof WorkspaceErrorCodes;

export class WorkspaceError extends Error {
  readonly code: WorkspaceErrorCode;
  readonly help: string | undefined;

  constructor(code: WorkspaceErrorCode, message: string, options: { help?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WorkspaceError';
    this.code = code;
    this.help = options.help;
  }
}

export function isWorkspaceError(value: unknown): value is WorkspaceError {
  return value instanceof WorkspaceError;
}

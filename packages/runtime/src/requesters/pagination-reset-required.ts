import { RuntimeError } from '../errors/runtime-error.js';

/**
 * The error handler answered RESET_PAGINATION: the request ends here, without retry or backoff,
 * and the SimpleRetriever reading the slice restarts it from the first page. Any other caller
 * (a login request, an async job) cannot restart anything, so there it fails the read, as an
 * uncaught reset does in the CDK.
 */
export class PaginationResetRequired extends RuntimeError {
  /** Branded so the check holds even when two copies of the runtime are loaded. */
  readonly paginationResetRequired = true;

  constructor(what: string) {
    super('HTTP_SYSTEM', `${what}: the error handler asked to reset pagination, which only a SimpleRetriever can do`);
  }
}

export function isPaginationResetRequired(error: unknown): error is PaginationResetRequired {
  return typeof error === 'object' && error !== null && (error as { paginationResetRequired?: unknown }).paginationResetRequired === true;
}

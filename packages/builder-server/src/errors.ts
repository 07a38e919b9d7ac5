import { isRuntimeError, type SecretMasker } from '@manifold/runtime';

/** An error the API answers with a 4xx (or 5xx) and a sentence naming the problem. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = 'BAD_REQUEST',
    readonly extra: { path?: string | undefined; line?: number | undefined } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ErrorBody {
  detail: string;
  code: string;
  path?: string;
  line?: number;
}

const NOT_FOUND_CODES = new Set(['STREAM_NOT_FOUND', 'CATALOG_UNKNOWN_STREAM', 'PROJECT_NOT_FOUND', 'NOT_FOUND']);

/** Maps anything thrown by a route to a status and a masked error body. */
export function errorResponse(error: unknown, masker?: SecretMasker): { status: number; body: ErrorBody } {
  const mask = (text: string) => (masker ? masker.mask(text) : text);
  if (error instanceof ApiError) {
    const body: ErrorBody = { detail: mask(error.message), code: error.code };
    if (error.extra.path) body.path = error.extra.path;
    if (error.extra.line !== undefined) body.line = error.extra.line;
    return { status: error.status, body };
  }
  if (isRuntimeError(error)) {
    const body: ErrorBody = { detail: mask(error.describe()), code: error.code };
    if (error.path) body.path = error.path;
    if (error.line !== undefined) body.line = error.line;
    return { status: NOT_FOUND_CODES.has(error.code) ? 404 : 400, body };
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { status: fastifyError.statusCode, body: describeFastifyError(fastifyError) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { detail: mask(`Internal error: ${message}`), code: 'INTERNAL' } };
}

function describeFastifyError(error: { statusCode?: number; code?: string; message?: string }): ErrorBody {
  const code = error.code ?? 'BAD_REQUEST';
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { detail: 'The request body is larger than the 10 MiB limit', code: 'BODY_TOO_LARGE' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { detail: `Unsupported content type: send JSON with content-type application/json (${error.message ?? ''})`, code: 'UNSUPPORTED_MEDIA_TYPE' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { detail: 'The request body is empty; send a JSON object', code: 'MALFORMED_JSON' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { detail: 'The request body does not match its content-length', code: 'BAD_REQUEST' };
    default:
      if (error instanceof SyntaxError || code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return { detail: `The request body is not valid JSON: ${error.message ?? ''}`, code: 'MALFORMED_JSON' };
      }
      return { detail: error.message ?? 'Bad request', code };
  }
}

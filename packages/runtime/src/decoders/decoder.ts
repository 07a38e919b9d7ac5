import type { HttpResponse } from '../requesters/http-client.js';

/**
 * Turns a response body into the bodies an extractor walks (one for JSON; one per line for
 * JSON Lines; one per row for CSV...). A body that cannot be decoded throws a RuntimeError with
 * code HTTP_DECODE: the requester retries it as a transient error (stricter than the CDK, which
 * would silently yield an empty page).
 */
export interface Decoder {
  decode(response: HttpResponse): Iterable<unknown>;
}

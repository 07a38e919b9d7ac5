import { gunzipSync } from 'node:zlib';
import type { HttpResponse } from '../requesters/http-client.js';
import type { Decoder } from './decoder.js';
import { decodeError, transportBody, withBody } from './text.js';

export function isGzip(body: Buffer): boolean {
  return body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
}

/** Inflates a gzip body (all members); a corrupt stream throws HTTP_DECODE. */
export function gunzip(body: Buffer): Buffer {
  try {
    return gunzipSync(body);
  } catch (error) {
    throw decodeError(`response body is not a valid gzip stream: ${(error as Error).message}`, error);
  }
}

/**
 * Decompresses gzip and hands the result to the inner decoder. Whether the body is gzip is decided
 * by its magic bytes (1f 8b), not by headers, as the CDK now does: a body that is not gzip passes
 * through unchanged. With `Content-Encoding: gzip` the CDK unwraps up to two layers (the transport
 * encoding, then the gzip file); so do we.
 */
export class GzipDecoder implements Decoder {
  /**
   * @param transportAware false for a GzipDecoder nested in another decoder, which (like the CDK's
   *   GzipParser) looks at one layer only.
   */
  constructor(
    readonly inner: Decoder,
    private readonly transportAware = true,
  ) {}

  decode(response: HttpResponse): Iterable<unknown> {
    // Top level: undo the transport encoding first (one gzip layer under Content-Encoding: gzip),
    // then one more gzip layer when the content itself is gzip.
    let body = this.transportAware ? transportBody(response) : response.body;
    if (isGzip(body)) body = gunzip(body);
    return this.inner.decode(body === response.body ? response : withBody(response, body));
  }
}

import type { HttpRequest, HttpResponse } from '../requesters/http-client.js';
import type { RequestOptions } from '../requesters/request-options.js';

/**
 * An authenticator contributes headers, query parameters or body fields to every request.
 * `options()` is async because token-based authenticators may have to fetch or refresh a token.
 */
export interface Authenticator {
  options(): Promise<Partial<RequestOptions>>;
  /**
   * Called when a data request got 401. Returns true when the authenticator obtained fresh
   * credentials, so the request is worth one more try (OAuth, session tokens).
   */
  invalidate?(): Promise<boolean>;
  /**
   * Called on every attempt with the built request, for authenticators that must see it to sign
   * it (the quota pool a request falls in decides which token it gets).
   */
  sign?(request: HttpRequest): Promise<void>;
  /** Called with every response, so quota-tracking authenticators can reconcile their counters. */
  onResponse?(request: HttpRequest, response: HttpResponse): void;
  /** True when another credential can serve this request now, so a rate-limit wait can be skipped. */
  hasAlternativeToken?(request: HttpRequest): boolean;
}

export const noAuth: Authenticator = {
  async options() {
    return {};
  },
};

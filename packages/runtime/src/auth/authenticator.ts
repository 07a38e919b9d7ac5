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
}

export const noAuth: Authenticator = {
  async options() {
    return {};
  },
};

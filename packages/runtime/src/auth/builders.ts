import type { Builder } from '../factory/build-context.js';
import { buildApiKeyAuthenticator, buildBearerAuthenticator } from './api-key.js';
import { buildBasicHttpAuthenticator } from './basic-http.js';
import { buildJwtAuthenticator } from './jwt.js';
import { buildNoAuth } from './no-auth.js';
import { buildOAuthAuthenticator } from './oauth.js';
import { buildRateLimitedMultipleTokenAuthenticator } from './rate-limited-multiple-token.js';
import { buildSelectiveAuthenticator } from './selective.js';
import { buildLegacySessionTokenAuthenticator, buildSessionTokenAuthenticator } from './session-token.js';

/** Every authenticator type of the declarative schema this runtime supports, by `type`. */
export const authBuilders: Record<string, Builder> = {
  NoAuth: buildNoAuth,
  ApiKeyAuthenticator: buildApiKeyAuthenticator,
  BearerAuthenticator: buildBearerAuthenticator,
  BasicHttpAuthenticator: buildBasicHttpAuthenticator,
  OAuthAuthenticator: buildOAuthAuthenticator,
  JwtAuthenticator: buildJwtAuthenticator,
  SessionTokenAuthenticator: buildSessionTokenAuthenticator,
  LegacySessionTokenAuthenticator: buildLegacySessionTokenAuthenticator,
  SelectiveAuthenticator: buildSelectiveAuthenticator,
  RateLimitedMultipleTokenAuthenticator: buildRateLimitedMultipleTokenAuthenticator,
};

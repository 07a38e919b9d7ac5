import { describe, expect, it } from 'vitest';
import { authBuilders } from './builders.js';

describe('authBuilders', () => {
  it('registers every authenticator type', () => {
    expect(Object.keys(authBuilders).sort()).toEqual([
      'ApiKeyAuthenticator',
      'BasicHttpAuthenticator',
      'BearerAuthenticator',
      'JwtAuthenticator',
      'LegacySessionTokenAuthenticator',
      'NoAuth',
      'OAuthAuthenticator',
      'RateLimitedMultipleTokenAuthenticator',
      'SelectiveAuthenticator',
      'SessionTokenAuthenticator',
    ]);
  });
});

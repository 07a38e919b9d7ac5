import { describe, expect, it } from 'vitest';
import type { RunContext } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { BuildContext, type Builder, type Model } from '../factory/build-context.js';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import { UndiciHttpClient } from '../requesters/http-client.js';
import { buildRequestOption } from '../requesters/request-option.js';
import type { Authenticator } from './authenticator.js';
import { authBuilders } from './builders.js';

function build(model: Model, config: Record<string, unknown>): Authenticator {
  const run: RunContext = {
    config,
    logger: silentLogger(),
    http: new UndiciHttpClient(),
    masker: new SecretMasker(),
    clock: () => 0,
    sleep: async () => {},
    emit: () => {},
  };
  const registry = new Map<string, Builder>([...Object.entries(authBuilders), ['RequestOption', buildRequestOption]]);
  return new BuildContext(run, registry, 'requester.authenticator').component<Authenticator>(model);
}

const selective: Model = {
  type: 'SelectiveAuthenticator',
  authenticator_selection_path: ['credentials', 'auth_type'],
  authenticators: {
    api_key: { type: 'ApiKeyAuthenticator', header: 'X-Key', api_token: "{{ config['credentials']['key'] }}" },
    basic: { type: 'BasicHttpAuthenticator', username: 'u', password: 'p' },
    '1': { type: 'NoAuth' },
    broken: { type: 'OAuthAuthenticator' },
  },
};

describe('SelectiveAuthenticator', () => {
  it('builds the authenticator the config selects (and only that one)', async () => {
    const auth = build(selective, { credentials: { auth_type: 'api_key', key: 'k-123' } });
    expect((await auth.options()).headers).toEqual({ 'X-Key': 'k-123' });
    const basic = build(selective, { credentials: { auth_type: 'basic' } });
    expect((await basic.options()).headers).toEqual({ Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
  });

  it('compares the selected value as Python str()', async () => {
    expect(await build(selective, { credentials: { auth_type: 1 } }).options()).toEqual({});
  });

  it('names the path and the allowed values when the value is missing or unknown', () => {
    const missing = (() => {
      try {
        build(selective, { credentials: {} });
      } catch (e) {
        return e as RuntimeError;
      }
      throw new Error('expected an error');
    })();
    expect(missing).toBeInstanceOf(RuntimeError);
    expect(missing.failureType).toBe('config_error');
    expect(missing.message).toContain('credentials.auth_type');
    expect(missing.message).toContain("'api_key', 'basic'");
    expect(() => build(selective, { credentials: { auth_type: 'oauth' } })).toThrow(/`oauth` is not found.*'api_key'/);
  });

  it('reports errors of the selected authenticator under its own path', () => {
    try {
      build(selective, { credentials: { auth_type: 'broken' } });
      throw new Error('expected an error');
    } catch (e) {
      expect((e as RuntimeError).path).toBe('requester.authenticator.authenticators.broken');
    }
  });
});

import { constants, createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { BuildContext, type Builder, type Model } from '../factory/build-context.js';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import { UndiciHttpClient } from '../requesters/http-client.js';
import { buildRequestOption } from '../requesters/request-option.js';
import { authBuilders } from './builders.js';
import { type JwtAuthenticator, pythonJson } from './jwt.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0, 750);
const NOW_S = Math.floor(NOW / 1000);

function build(model: Model, config: Record<string, unknown> = {}) {
  const run: RunContext = {
    config,
    logger: silentLogger(),
    http: new UndiciHttpClient(),
    masker: new SecretMasker(),
    clock: () => NOW,
    sleep: async () => {},
    emit: () => {},
  };
  const registry = new Map<string, Builder>([...Object.entries(authBuilders), ['RequestOption', buildRequestOption]]);
  const ctx = new BuildContext(run, registry, 'authenticator');
  return { auth: ctx.component<JwtAuthenticator>({ type: 'JwtAuthenticator', ...model }), run };
}

function decode(token: string) {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return {
    headerText: Buffer.from(header, 'base64url').toString(),
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

async function tokenOf(auth: JwtAuthenticator): Promise<string> {
  const options = await auth.options();
  return String(options.headers?.Authorization);
}

describe('JwtAuthenticator', () => {
  it('signs HS256 with sorted headers, iat/exp/nbf from the clock, in the Authorization header', async () => {
    const { auth, run } = build(
      {
        secret_key: "{{ config['secret'] }}",
        algorithm: 'HS256',
        jwt_headers: { kid: 'key-1', cty: 'JWT' },
        jwt_payload: { iss: 'issuer', sub: 'subject', aud: 'audience' },
        additional_jwt_headers: { zeta: 'z' },
        additional_jwt_payload: { scope: 'read' },
        token_duration: 600,
      },
      { secret: 'top-secret' },
    );
    const token = await tokenOf(auth);
    const jwt = decode(token);
    expect(jwt.headerText).toBe('{"alg":"HS256","cty":"JWT","kid":"key-1","typ":"JWT","zeta":"z"}');
    expect(jwt.payload).toEqual({
      scope: 'read',
      iss: 'issuer',
      sub: 'subject',
      aud: 'audience',
      iat: NOW_S,
      exp: NOW_S + 600,
      nbf: NOW_S,
    });
    expect(Object.keys(jwt.payload)).toEqual(['scope', 'iss', 'sub', 'aud', 'iat', 'exp', 'nbf']);
    const expected = createHmac('sha256', 'top-secret').update(jwt.signingInput).digest();
    expect(jwt.signature.equals(expected)).toBe(true);
    expect(run.masker.mask(token)).toBe('****');
  });

  it('signs HS384/HS512 and base64-encodes the secret when asked', async () => {
    for (const [alg, digest] of [
      ['HS384', 'sha384'],
      ['HS512', 'sha512'],
    ] as const) {
      const { auth } = build({ secret_key: 'plain', algorithm: alg, base64_encode_secret_key: true });
      const jwt = decode(await tokenOf(auth));
      const key = Buffer.from('plain').toString('base64');
      expect(jwt.signature.equals(createHmac(digest, key).update(jwt.signingInput).digest())).toBe(true);
      expect(jwt.header).toEqual({ alg, typ: 'JWT' });
    }
  });

  it('defaults token_duration to 1200 seconds', async () => {
    const { auth } = build({ secret_key: 's', algorithm: 'HS256' });
    expect(decode(await tokenOf(auth)).payload.exp).toBe(NOW_S + 1200);
  });

  it('signs RS256/RS512 and PS256 with an RSA key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const [alg, digest] of [
      ['RS256', 'sha256'],
      ['RS512', 'sha512'],
    ] as const) {
      const jwt = decode(await tokenOf(build({ secret_key: "{{ config['key'] }}", algorithm: alg }, { key: pem }).auth));
      expect(verify(digest, Buffer.from(jwt.signingInput), publicKey, jwt.signature)).toBe(true);
    }
    const jwt = decode(await tokenOf(build({ secret_key: pem, algorithm: 'PS256' }).auth));
    const ok = verify(
      'sha256',
      Buffer.from(jwt.signingInput),
      { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      jwt.signature,
    );
    expect(ok).toBe(true);
  });

  it('signs ES256/ES384/ES512 with raw r||s signatures, and EdDSA', async () => {
    for (const [alg, curve, digest, size] of [
      ['ES256', 'prime256v1', 'sha256', 64],
      ['ES384', 'secp384r1', 'sha384', 96],
      ['ES512', 'secp521r1', 'sha512', 132],
    ] as const) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const jwt = decode(await tokenOf(build({ secret_key: pem, algorithm: alg }).auth));
      expect(jwt.signature).toHaveLength(size);
      expect(
        verify(digest, Buffer.from(jwt.signingInput), { key: publicKey, dsaEncoding: 'ieee-p1363' }, jwt.signature),
      ).toBe(true);
    }
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwt = decode(await tokenOf(build({ secret_key: pem, algorithm: 'EdDSA' }).auth));
    expect(verify(null, Buffer.from(jwt.signingInput), publicKey, jwt.signature)).toBe(true);
  });

  it('loads an encrypted private key with the passphrase', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    const jwt = decode(await tokenOf(build({ secret_key: pem, passphrase: 'pw', algorithm: 'RS256' }).auth));
    expect(verify('sha256', Buffer.from(jwt.signingInput), publicKey, jwt.signature)).toBe(true);
  });

  it('adds header_prefix and injects through request_option', async () => {
    const prefixed = await tokenOf(build({ secret_key: 's', algorithm: 'HS256', header_prefix: 'Bearer' }).auth);
    expect(prefixed).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const { auth } = build({
      secret_key: 's',
      algorithm: 'HS256',
      request_option: { type: 'RequestOption', inject_into: 'request_parameter', field_name: 'jwt' },
    });
    const options = await auth.options();
    expect(options.headers).toEqual({});
    expect(String(options.params?.jwt).split('.')).toHaveLength(3);
  });

  it('rejects reserved names in the additional headers and payload', async () => {
    const header = build({ secret_key: 's', algorithm: 'HS256', additional_jwt_headers: { kid: 'x' } }).auth;
    await expect(header.options()).rejects.toThrow(/reserved headers/);
    const claim = build({ secret_key: 's', algorithm: 'HS256', additional_jwt_payload: { exp: 1 } }).auth;
    await expect(claim.options()).rejects.toThrow(RuntimeError);
    await expect(claim.options()).rejects.toThrow(/reserved properties/);
  });

  it('fails with a clear error for a bad key or an unknown algorithm', async () => {
    await expect(build({ secret_key: 'not a pem', algorithm: 'RS256' }).auth.options()).rejects.toThrow(
      /Failed to sign token/,
    );
    expect(() => build({ secret_key: 's', algorithm: 'XX1' })).toThrow(/algorithm 'XX1'/);
  });

  it('encodes JSON like Python json.dumps', () => {
    expect(pythonJson({ b: 'é', a: [1, 1.5, null, true] }, true)).toBe('{"a":[1,1.5,null,true],"b":"\\u00e9"}');
  });

  it('writes an int beyond 2^53 (BigInt) as its digits', () => {
    expect(pythonJson({ sub: 12345678901234567890n })).toBe('{"sub":12345678901234567890}');
  });
});

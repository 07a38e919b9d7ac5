import { createHmac, createPrivateKey, constants, sign, type KeyObject } from 'node:crypto';
import { pythonFloatRepr } from '../datetime/civil.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { BuildContext, Builder } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString, interpolateMapping } from '../interpolation/index.js';
import type { RequestOption } from '../requesters/request-option.js';
import { emptyOptions, type RequestOptions } from '../requesters/request-options.js';
import type { Authenticator } from './authenticator.js';
import type { TokenSource } from './oauth.js';

/** The algorithms the 7.x schema lists for JwtAuthenticator. */
export const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'ES256',
  'ES256K',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

const RESERVED_HEADERS = ['kid', 'alg', 'typ', 'cty'];
const RESERVED_CLAIMS = ['iss', 'sub', 'aud', 'iat', 'exp', 'nbf'];

/** `json.dumps(value, separators=(",", ":"), sort_keys=?)` with Python's default `ensure_ascii`. */
export function pythonJson(value: unknown, sortKeys = false): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u0080-\uffff]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (Array.isArray(value)) return `[${value.map((item) => pythonJson(item, sortKeys)).join(',')}]`;
  // The interpolation's PyFloat (an integral float such as 5.0) keeps its '.0'.
  if (typeof value === 'object' && value.constructor?.name === 'PyFloat') return pythonFloatRepr(Number(value));
  if (typeof value === 'object') {
    let entries = Object.entries(value as Record<string, unknown>);
    if (sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${pythonJson(key)}:${pythonJson(item, sortKeys)}`).join(',')}}`;
  }
  return pythonJson(String(value));
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

const DIGESTS: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** Signs `signingInput` with the algorithm; `key` is the secret (HS*) or a PEM private key. */
export function signJwt(algorithm: string, signingInput: string, key: string | KeyObject): Buffer {
  const data = Buffer.from(signingInput);
  if (algorithm === 'EdDSA') return sign(null, data, asPrivateKey(key));
  const family = algorithm.slice(0, 2);
  const digest = algorithm === 'ES256K' ? 'sha256' : DIGESTS[algorithm.slice(2)];
  if (!digest || !(JWT_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new Error(`Algorithm not supported: ${algorithm}`);
  }
  switch (family) {
    case 'HS': {
      if (typeof key !== 'string') throw new Error('an HMAC secret must be a string');
      // PyJWT refuses asymmetric keys as HMAC secrets.
      if (/^-----BEGIN |^ssh-(?:rsa|ed25519|dss) |^ecdsa-sha2-/.test(key.trim())) {
        throw new Error(
          'The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret.',
        );
      }
      return createHmac(digest, Buffer.from(key)).update(data).digest();
    }
    case 'RS':
      return sign(digest, data, { key: asPrivateKey(key), padding: constants.RSA_PKCS1_PADDING });
    case 'PS':
      return sign(digest, data, {
        key: asPrivateKey(key),
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: Number(algorithm.slice(2)) / 8,
      });
    case 'ES':
      return sign(digest, data, { key: asPrivateKey(key), dsaEncoding: 'ieee-p1363' });
    default:
      throw new Error(`Algorithm not supported: ${algorithm}`);
  }
}

function asPrivateKey(key: string | KeyObject): KeyObject {
  return typeof key === 'string' ? createPrivateKey(key) : key;
}

export interface JwtSettings {
  algorithm: string;
  secretKey: InterpolatedString;
  base64EncodeSecretKey: boolean;
  tokenDuration: number | undefined;
  headerPrefix: InterpolatedString | undefined;
  kid: InterpolatedString | undefined;
  typ: InterpolatedString | undefined;
  cty: InterpolatedString | undefined;
  iss: InterpolatedString | undefined;
  sub: InterpolatedString | undefined;
  aud: InterpolatedString | undefined;
  additionalHeaders: Record<string, unknown>;
  additionalPayload: Record<string, unknown>;
  passphrase: InterpolatedString | undefined;
  parameters: Record<string, unknown>;
}

/** JwtAuthenticator: signs a fresh JWT for every request and injects it (Authorization header by default). */
export class JwtAuthenticator implements Authenticator, TokenSource {
  constructor(
    private readonly ctx: BuildContext,
    private readonly settings: JwtSettings,
    private readonly requestOption: RequestOption | undefined,
  ) {}

  async options(): Promise<RequestOptions> {
    const token = this.token();
    const options = emptyOptions();
    if (this.requestOption) return this.requestOption.inject(token, options);
    options.headers.Authorization = token;
    return options;
  }

  /** The header value: `<header_prefix> <jwt>` or the bare JWT. */
  token(): string {
    const signed = this.signedToken();
    const prefix = this.settings.headerPrefix?.eval(this.ctx.config);
    const token = prefix ? `${String(prefix)} ${signed}` : signed;
    this.ctx.run.masker.add(signed);
    return token;
  }

  headers(): Record<string, unknown> {
    const s = this.settings;
    const config = this.ctx.config;
    const headers = { ...(interpolateMapping(s.additionalHeaders, s.parameters, config) as Record<string, unknown>) };
    if (RESERVED_HEADERS.some((name) => name in headers)) {
      throw this.error(
        "'kid', 'alg', 'typ', 'cty' are reserved headers and should not be set as part of 'additional_jwt_headers'",
      );
    }
    if (s.kid) headers.kid = s.kid.eval(config);
    if (s.typ) headers.typ = s.typ.eval(config);
    if (s.cty) headers.cty = s.cty.eval(config);
    headers.alg = s.algorithm;
    return headers;
  }

  payload(): Record<string, unknown> {
    const s = this.settings;
    const config = this.ctx.config;
    const now = Math.floor(this.ctx.run.clock() / 1000);
    const payload = { ...(interpolateMapping(s.additionalPayload, s.parameters, config) as Record<string, unknown>) };
    if (RESERVED_CLAIMS.some((name) => name in payload)) {
      throw this.error(
        "'iss', 'sub', 'aud', 'iat', 'exp', 'nbf' are reserved properties and should not be set as part of 'additional_jwt_payload'",
      );
    }
    if (s.iss) payload.iss = s.iss.eval(config);
    if (s.sub) payload.sub = s.sub.eval(config);
    if (s.aud) payload.aud = s.aud.eval(config);
    payload.iat = now;
    payload.exp = s.tokenDuration === undefined ? now : now + s.tokenDuration;
    payload.nbf = now;
    return payload;
  }

  private secretKey(): string | KeyObject {
    const s = this.settings;
    const config = this.ctx.config;
    const secret = String(s.secretKey.eval(config) ?? '');
    this.ctx.run.masker.add(secret);
    const passphrase = s.passphrase?.eval(config);
    if (passphrase) {
      return createPrivateKey({ key: secret, format: 'pem', passphrase: String(passphrase) });
    }
    return s.base64EncodeSecretKey ? Buffer.from(secret).toString('base64') : secret;
  }

  private signedToken(): string {
    try {
      const payload = this.payload();
      const extra = this.headers();
      const key = this.secretKey();
      // PyJWT: {"typ": "JWT", "alg": ...} updated with the given headers, an empty typ dropped, keys sorted.
      const header: Record<string, unknown> = { typ: 'JWT', alg: this.settings.algorithm, ...extra };
      if (!header.typ) delete header.typ;
      if ('kid' in header && typeof header.kid !== 'string') throw new Error('Key ID header parameter must be a string');
      const signingInput = `${base64url(pythonJson(header, true))}.${base64url(pythonJson(payload))}`;
      const signature = signJwt(this.settings.algorithm, signingInput, key);
      return `${signingInput}.${base64url(signature)}`;
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw this.error(`Failed to sign token: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private error(message: string): RuntimeError {
    return new RuntimeError('AUTH_FAILED', message, { path: this.ctx.path });
  }
}

export const buildJwtAuthenticator: Builder<JwtAuthenticator> = (model, ctx) => {
  const parameters = parametersOf(model);
  const template = (value: unknown) =>
    value === undefined || value === null || value === '' ? undefined : new InterpolatedString(String(value), parameters);
  const algorithm = String(model.algorithm ?? '');
  if (!(JWT_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw ctx.error(
      'MANIFEST_INVALID',
      `JwtAuthenticator algorithm '${algorithm}' is not one of ${JWT_ALGORITHMS.join(', ')}`,
      model,
    );
  }
  if (model.secret_key === undefined || model.secret_key === null) {
    throw ctx.error('MANIFEST_INVALID', "missing required field 'secret_key'", model);
  }
  const headers = isObject(model.jwt_headers) ? model.jwt_headers : { typ: 'JWT' };
  const claims = isObject(model.jwt_payload) ? model.jwt_payload : {};
  const duration = model.token_duration === undefined ? 1200 : model.token_duration;
  const requestOption = ctx.optional<RequestOption>(model, 'request_option', 'RequestOption');
  return new JwtAuthenticator(
    ctx,
    {
      algorithm,
      secretKey: new InterpolatedString(String(model.secret_key), parameters),
      base64EncodeSecretKey: Boolean(model.base64_encode_secret_key),
      tokenDuration: typeof duration === 'number' && Number.isInteger(duration) ? duration : undefined,
      headerPrefix: template(model.header_prefix),
      kid: template(headers.kid),
      typ: template(headers.typ === undefined ? 'JWT' : headers.typ),
      cty: template(headers.cty),
      iss: template(claims.iss),
      sub: template(claims.sub),
      aud: template(claims.aud),
      additionalHeaders: isObject(model.additional_jwt_headers) ? model.additional_jwt_headers : {},
      additionalPayload: isObject(model.additional_jwt_payload) ? model.additional_jwt_payload : {},
      passphrase: template(model.passphrase),
      parameters,
    },
    requestOption,
  );
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { HttpExchange } from '../context.js';
import { pythonFloatRepr, parsePythonFloat } from '../datetime/civil.js';
import { abDatetimeParse } from '../datetime/index.js';
import type { ErrorCode, FailureType } from '../errors/codes.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { BuildContext, Builder, Model } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString, interpolateMapping } from '../interpolation/index.js';
import type { HttpResponse } from '../requesters/http-client.js';
import type { Authenticator } from './authenticator.js';
import { getExact } from '../dpath/dpath.js';

// ---------------------------------------------------------------------------------------------
// Small helpers shared by the auth components (Python-compatible string forms, dpath, dates).
// ---------------------------------------------------------------------------------------------

/** Python's str() of a JSON value: None/True/False, floats as repr, containers as repr. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pyRepr(value);
}

function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  // The interpolation's PyFloat (an integral float such as 5.0) prints with its '.0'.
  if (typeof value === 'object' && value.constructor?.name === 'PyFloat') return pythonFloatRepr(Number(value));
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Reads `path` (plain keys; numeric segments index lists) like `dpath.get`; undefined when absent. */
export function dpathGet(root: unknown, path: readonly string[]): { found: boolean; value: unknown } {
  const hit = getExact(root, path);
  return { found: hit.found, value: hit.value };
}

/** Writes `value` at `path`, creating the objects on the way, like `dpath.new`. */
export function dpathNew(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = root;
  path.forEach((segment, index) => {
    if (index === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else node = node[segment] = {};
  });
}

/** Python's `isoformat()` of an aware UTC datetime, as `str(AirbyteDateTime)` prints it. */
export function pythonIsoUtc(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  let text =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const micros = Math.round((epochMs - Math.floor(epochMs / 1000) * 1000) * 1000);
  if (micros) text += `.${pad(micros, 6)}`;
  return `${text}+00:00`;
}

/**
 * `ab_datetime_parse` of the CDK (Unix timestamps up to 10 digits, date-only, then dateutil;
 * naive values are UTC), as epoch milliseconds and as `str(AirbyteDateTime)`.
 */
export function parseAirbyteDatetimeWithText(input: unknown, clock?: () => number): { ms: number; text: string } {
  if (typeof input !== 'string' && !(typeof input === 'number' && Number.isInteger(input))) {
    throw new Error(`Could not parse datetime string: expected string or integer, got ${typeof input}`);
  }
  const parsed = abDatetimeParse(input, clock ? { clock } : {});
  return { ms: Math.round(parsed.timestamp() * 1000), text: parsed.isoformat() };
}

/** `ab_datetime_parse` as epoch milliseconds. */
export function parseAirbyteDatetime(input: unknown, clock?: () => number): number {
  return parseAirbyteDatetimeWithText(input, clock).ms;
}

/** `application/x-www-form-urlencoded` the way `requests` encodes a dict (None dropped, lists repeated). */
export function formEncode(fields: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const [key, raw] of Object.entries(fields)) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (value === null || value === undefined) continue;
      pairs.push(`${quotePlus(key)}=${quotePlus(pyStr(value))}`);
    }
  }
  return pairs.join('&');
}

/** Python's `urllib.parse.quote_plus`: only `A-Za-z0-9_.-~` stay as they are. */
function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+');
}

/** The URL without its query string, for error messages. */
export function describeUrl(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : url.slice(0, index);
}

function authError(message: string, failureType: FailureType, help?: string, cause?: unknown): RuntimeError {
  const code: ErrorCode = 'AUTH_FAILED';
  return new RuntimeError(code, message, { failureType, help, cause });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function evalText(template: InterpolatedString | undefined, ctx: BuildContext): unknown {
  return template?.eval(ctx.config);
}

function optionalTemplate(value: unknown, parameters: Record<string, unknown>): InterpolatedString | undefined {
  if (value === undefined || value === null) return undefined;
  return new InterpolatedString(String(value), parameters);
}

// ---------------------------------------------------------------------------------------------
// The token endpoint call: POST, form body or query string, retried on 429/5xx/network errors.
// ---------------------------------------------------------------------------------------------

/** The CDK's `backoff.expo` waits (1, 2, 4, ... seconds) until 300 seconds have passed. */
const MAX_RETRY_SECONDS = 300;

export interface TokenRequest {
  url: string;
  headers: Record<string, string>;
  /** Form fields for the body, or undefined for an empty body. */
  body: Record<string, unknown> | undefined;
  /** Form fields for the query string. */
  query: Record<string, unknown> | undefined;
}

interface RefreshTokenErrors {
  statusCodes: number[];
  key: string;
  values: string[];
}

async function postTokenRequest(
  ctx: BuildContext,
  req: TokenRequest,
  errors: RefreshTokenErrors,
  /** Registers the tokens of a response with the masker before the exchange is reported. */
  maskTokens: (json: unknown) => void,
): Promise<unknown> {
  const run = ctx.run;
  const headers: Record<string, string> = { ...req.headers };
  let body: string | undefined;
  if (req.body && Object.keys(req.body).length > 0) {
    body = formEncode(req.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
  }
  let url = req.url;
  if (req.query) {
    const query = formEncode(req.query);
    if (query) url += (url.includes('?') ? '&' : '?') + query;
  }
  const where = describeUrl(req.url);
  const started = run.clock();
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    let response: HttpResponse | undefined;
    let failure: string;
    try {
      response = await run.http.send({ method: 'POST', url, headers, body }, run.signal);
    } catch (error) {
      if (run.signal?.aborted) throw error;
      failure = `a network error (${error instanceof Error ? error.message : String(error)})`;
      response = undefined;
    }
    if (response) {
      if (response.status < 400) {
        try {
          maskTokens(JSON.parse(response.text()));
        } catch {
          // Not JSON or no token: readTokenResponse reports it.
        }
      }
      report(ctx, { method: 'POST', url, headers, body }, response, 'Refresh token');
      if (response.status !== 429 && response.status < 500) return readTokenResponse(ctx, response, where, errors);
      failure = `HTTP ${response.status}`;
    }
    const elapsed = Math.max((run.clock() - started) / 1000, waited);
    if (elapsed >= MAX_RETRY_SECONDS) {
      throw authError(
        `the OAuth token request to ${where} failed with ${failure!} after ${attempt + 1} tries`,
        'transient_error',
      );
    }
    const wait = Math.min(2 ** attempt, MAX_RETRY_SECONDS - elapsed);
    run.logger.info(`Caught retryable error after ${attempt + 1} tries. Waiting ${wait} seconds then retrying...`);
    await run.sleep(wait * 1000);
    waited += wait;
  }
}

function readTokenResponse(ctx: BuildContext, response: HttpResponse, where: string, errors: RefreshTokenErrors): unknown {
  let json: unknown;
  let parsed = true;
  try {
    json = JSON.parse(response.text());
  } catch {
    parsed = false;
  }
  if (response.status >= 400) {
    if (
      parsed &&
      isObject(json) &&
      errors.statusCodes.includes(response.status) &&
      errors.values.includes(json[errors.key] as string)
    ) {
      const message =
        'Refresh token is invalid or expired. Please re-authenticate from Sources/<your source>/Settings.';
      throw authError(message, 'config_error', `the token endpoint ${where} answered HTTP ${response.status}`);
    }
    throw authError(
      `the OAuth token request to ${where} failed with HTTP ${response.status}`,
      'config_error',
      'Check the client id, client secret and refresh token in the config',
    );
  }
  if (!parsed) {
    throw authError(
      `OAuth access token refresh request failed: the response of ${where} is not JSON`,
      'system_error',
    );
  }
  void ctx;
  return json;
}

/** Reports a token call to the Builder, masked. */
export function report(
  ctx: BuildContext,
  request: { method: string; url: string; headers: Record<string, string>; body?: string },
  response: HttpResponse,
  title: string,
): void {
  const observer = ctx.run.observer;
  if (!observer?.onHttp) return;
  const exchange: HttpExchange = {
    request: { ...request },
    response: { status: response.status, headers: response.headers, body: response.text() },
    kind: 'AUTH',
    title,
  };
  observer.onHttp(ctx.run.masker.maskValue(exchange));
}

/**
 * Finds `key` anywhere in a JSON response (root first, then depth-first through objects and lists,
 * five levels deep at most), as the CDK's `_find_and_get_value_from_response`.
 */
export function findInResponse(data: unknown, key: string, depth = 0): unknown {
  if (depth > 5) {
    throw new RuntimeError(
      'AUTH_FAILED',
      `The maximum level of recursion is reached. Couldn't find the specified \`${key}\` in the response.`,
    );
  }
  if (isObject(data)) {
    if (Object.hasOwn(data, key)) return data[key];
    for (const value of Object.values(data)) {
      const found = findInResponse(value, key, depth + 1);
      if (found !== null && found !== undefined) return found;
    }
  } else if (Array.isArray(data)) {
    for (const item of data) {
      const found = findInResponse(item, key, depth + 1);
      if (found !== null && found !== undefined) return found;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// OAuthAuthenticator
// ---------------------------------------------------------------------------------------------

/** Where the current access token, its expiry and the refresh token live. */
interface TokenStore {
  /** The access token, or undefined when none was obtained yet. */
  accessToken(): unknown;
  /** Expiry in epoch ms (-Infinity: expired). */
  expiry(): number;
  refreshToken(): string | undefined;
  save(accessToken: unknown, expiry: Expiry, refreshToken: unknown): void;
}

/** An expiry instant: epoch ms and its `str(AirbyteDateTime)` form (what the config stores). */
interface Expiry {
  ms: number;
  text: string;
}

/** Something that signs a token on demand (a JwtAuthenticator used as profile assertion). */
export interface TokenSource {
  token(): string;
}

interface OAuthSettings {
  endpoint: () => string | undefined;
  grantTypeName: () => string;
  grantType: () => string;
  clientIdName: () => string;
  clientId: () => unknown;
  clientSecretName: () => string;
  clientSecret: () => unknown;
  refreshTokenName: () => string;
  accessTokenName: () => string;
  expiresInName: () => string;
  scopes: string[];
  body: () => Record<string, unknown>;
  headers: () => Record<string, unknown>;
  asQuery: boolean;
  expiryIsTimeOfExpiration: boolean;
  profileAssertion: TokenSource | undefined;
  errors: RefreshTokenErrors;
}

export class OAuthAuthenticator implements Authenticator {
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly ctx: BuildContext,
    private readonly settings: OAuthSettings,
    private readonly store: TokenStore,
    /** Extracts and persists the rotated refresh token (refresh_token_updater). */
    private readonly rotating: boolean,
  ) {}

  async options(): Promise<{ headers: Record<string, string> }> {
    const token = await this.accessToken();
    return { headers: { Authorization: `Bearer ${token}` } };
  }

  /** The current access token, refreshed first when it has expired. */
  async accessToken(): Promise<string> {
    if (this.isStaticTokenFlow()) return this.current();
    if (this.hasExpired()) await this.refresh(false);
    return this.current();
  }

  async invalidate(): Promise<boolean> {
    if (this.isStaticTokenFlow()) return false;
    await this.refresh(true);
    return true;
  }

  private current(): string {
    const token = this.store.accessToken();
    const text = pyStr(token);
    this.ctx.run.masker.add(text);
    return text;
  }

  private isStaticTokenFlow(): boolean {
    if (this.settings.endpoint() !== undefined) return false;
    if (this.store.accessToken() === undefined) {
      throw new RuntimeError(
        'AUTH_FAILED',
        'OAuthAuthenticator has no token_refresh_endpoint and no access_token_value: access_token is not set',
        { path: this.ctx.path },
      );
    }
    return true;
  }

  private hasExpired(): boolean {
    return this.ctx.run.clock() > this.store.expiry();
  }

  /** One refresh at a time; callers that arrive during a refresh wait for it (the CDK's lock). */
  private async refresh(force: boolean): Promise<void> {
    if (this.refreshing) return this.refreshing;
    if (!force && !this.hasExpired()) return;
    this.refreshing = this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    try {
      const response = await postTokenRequest(this.ctx, this.buildRequest(), this.settings.errors, (json) => {
        for (const name of [this.settings.accessTokenName(), ...(this.rotating ? [this.settings.refreshTokenName()] : [])]) {
          const value = findInResponse(json, name);
          if (value !== undefined && value !== null) this.ctx.run.masker.add(pyStr(value));
        }
      });
      const accessName = this.settings.accessTokenName();
      const access = findInResponse(response, accessName);
      if (access === undefined || access === null || access === '' || access === 0 || access === false) {
        throw new RuntimeError('AUTH_FAILED', `Token refresh API response was missing access token ${accessName}`, {
          failureType: 'system_error',
        });
      }
      this.ctx.run.masker.add(pyStr(access));
      const expiry = this.extractExpiry(response);
      let refreshToken: unknown;
      if (this.rotating) {
        refreshToken = findInResponse(response, this.settings.refreshTokenName());
        if (refreshToken !== undefined && refreshToken !== null) this.ctx.run.masker.add(pyStr(refreshToken));
      }
      this.store.save(access, expiry, refreshToken);
    } catch (error) {
      if (error instanceof RuntimeError && error.path === undefined) error.path = this.ctx.path;
      throw error;
    }
  }

  private buildRequest(): TokenRequest {
    const s = this.settings;
    const endpoint = s.endpoint();
    if (!endpoint) {
      throw new RuntimeError('AUTH_FAILED', 'OAuthAuthenticator was unable to evaluate token_refresh_endpoint parameter');
    }
    const headerValues = s.headers();
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(headerValues)) headers[key] = pyStr(value);
    const standardArgs = (): Record<string, unknown> => {
      const args: Record<string, unknown> = { [s.grantTypeName()]: s.grantType() };
      // Credentials travel in the body unless an Authorization header carries them (exact key, like the CDK).
      if (!Object.hasOwn(headerValues, 'Authorization')) {
        args[s.clientIdName()] = s.clientId();
        args[s.clientSecretName()] = s.clientSecret();
      }
      args[s.refreshTokenName()] = this.store.refreshToken();
      if (s.scopes.length > 0) args.scopes = s.scopes;
      for (const [key, value] of Object.entries(s.body())) {
        if (!(key in args)) args[key] = value;
      }
      return args;
    };
    let body: Record<string, unknown> | undefined;
    if (s.profileAssertion) {
      // The JWT-bearer grant: the body is always the grant type and the signed assertion.
      const assertion = s.profileAssertion.token();
      this.ctx.run.masker.add(assertion);
      body = { [s.grantTypeName()]: s.grantType(), assertion };
    } else if (!s.asQuery) {
      body = standardArgs();
    }
    return { url: endpoint, headers, body, query: s.asQuery ? standardArgs() : undefined };
  }

  private extractExpiry(response: unknown): Expiry {
    const value = findInResponse(response, this.settings.expiresInName());
    const now = this.ctx.run.clock();
    if (value !== undefined && value !== null) {
      if (this.settings.expiryIsTimeOfExpiration) {
        try {
          return parseAirbyteDatetimeWithText(pyStr(value), this.ctx.run.clock);
        } catch (error) {
          throw new RuntimeError(
            'AUTH_FAILED',
            `Invalid token expiry date format: ${error instanceof Error ? error.message : String(error)}`,
            { failureType: 'system_error' },
          );
        }
      }
      let seconds: number;
      try {
        seconds = Math.trunc(parsePythonFloat(pyStr(value)));
      } catch {
        seconds = NaN;
      }
      if (!Number.isFinite(seconds)) {
        throw new RuntimeError(
          'AUTH_FAILED',
          `Invalid expires_in value: ${pyStr(value)}. Expected number of seconds when no format specified.`,
          { failureType: 'system_error' },
        );
      }
      return utcExpiry(now + seconds * 1000);
    }
    const existing = this.store.expiry();
    if (Number.isFinite(existing) && !(now > existing)) return utcExpiry(existing);
    return utcExpiry(now + 3_600_000);
  }
}

/** In-memory token state of DeclarativeOauth2Authenticator. */
class MemoryTokenStore implements TokenStore {
  constructor(
    private token: unknown,
    private expiresAt: number,
    private readonly refresh: () => string | undefined,
  ) {}
  accessToken(): unknown {
    return this.token;
  }
  expiry(): number {
    // A token that was never obtained counts as expired (datetime.min).
    return this.token === undefined ? -Infinity : this.expiresAt;
  }
  refreshToken(): string | undefined {
    return this.refresh();
  }
  save(accessToken: unknown, expiry: Expiry): void {
    this.token = accessToken;
    this.expiresAt = expiry.ms;
  }
}

/**
 * Token state of SingleUseRefreshTokenOauth2Authenticator: the access token, its expiry and the
 * refresh token live in the config itself; every refresh rewrites them there and emits the whole
 * config as a CONTROL message so the platform persists the rotated refresh token.
 */
class ConfigTokenStore implements TokenStore {
  constructor(
    private readonly ctx: BuildContext,
    private readonly accessPath: string[],
    private readonly refreshPath: string[],
    private readonly expiryPath: string[],
  ) {}

  private read(path: string[]): unknown {
    const { found, value } = dpathGet(this.ctx.config, path);
    return found ? value : '';
  }

  accessToken(): unknown {
    return this.read(this.accessPath);
  }

  expiry(): number {
    const value = this.read(this.expiryPath);
    if (value === '') return this.ctx.run.clock() - 86_400_000;
    try {
      return parseAirbyteDatetime(pyStr(value), this.ctx.run.clock);
    } catch (error) {
      throw new RuntimeError(
        'AUTH_FAILED',
        `the token expiry date at config path '${this.expiryPath.join('.')}' cannot be parsed: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { path: this.ctx.path },
      );
    }
  }

  refreshToken(): string | undefined {
    const value = this.read(this.refreshPath);
    return value === null || value === undefined ? undefined : pyStr(value);
  }

  save(accessToken: unknown, expiry: Expiry, refreshToken: unknown): void {
    const config = this.ctx.config;
    dpathNew(config, this.accessPath, accessToken);
    if (refreshToken !== undefined && refreshToken !== null) dpathNew(config, this.refreshPath, refreshToken);
    dpathNew(config, this.expiryPath, expiry.text);
    this.ctx.run.emit({
      type: 'CONTROL',
      control: {
        type: 'CONNECTOR_CONFIG',
        emitted_at: this.ctx.run.clock(),
        connectorConfig: { config: structuredClone(config) },
      },
    });
  }
}

function stringList(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) ? value.map((item) => String(item)) : fallback;
}

function refreshTokenErrors(model: Model, ctx: BuildContext): RefreshTokenErrors {
  const updater = isObject(model.refresh_token_updater) ? model.refresh_token_updater : undefined;
  const pick = (source: Record<string, unknown> | undefined) => ({
    statusCodes: Array.isArray(source?.refresh_token_error_status_codes)
      ? (source.refresh_token_error_status_codes as unknown[]).map(Number)
      : [],
    key: typeof source?.refresh_token_error_key === 'string' ? source.refresh_token_error_key : '',
    values: stringList(source?.refresh_token_error_values, []),
  });
  const onUpdater = pick(updater);
  const onModel = pick(model);
  const defined = (e: RefreshTokenErrors) => e.statusCodes.length > 0 || e.key !== '' || e.values.length > 0;
  if (defined(onUpdater) && defined(onModel)) {
    throw ctx.error(
      'MANIFEST_INVALID',
      'refresh_token_error should either be defined on the OAuthAuthenticatorModel or the RefreshTokenUpdaterModel, not both',
      model,
    );
  }
  return defined(onUpdater) ? onUpdater : onModel;
}

/** OAuthAuthenticator: refresh-token / client-credentials / JWT-bearer grants, optionally rotating. */
export const buildOAuthAuthenticator: Builder<OAuthAuthenticator> = (model, ctx) => {
  const parameters = parametersOf(model);
  const errors = refreshTokenErrors(model, ctx);
  const scopes = stringList(model.scopes, []);
  const asQuery = Boolean(model.send_refresh_request_as_query_params);
  const expiryIsTimeOfExpiration = Boolean(model.token_expiry_date_format);
  const template = (value: unknown, fallback: string) =>
    new InterpolatedString(value === undefined || value === null || value === '' ? fallback : String(value), parameters);
  const asString = (t: InterpolatedString) => () => pyStr(t.eval(ctx.config));

  if (isObject(model.refresh_token_updater)) {
    // SingleUseRefreshTokenOauth2Authenticator: names and values are evaluated once, at build time;
    // the refresh token, access token and expiry are read from (and written to) the config.
    const updater = model.refresh_token_updater;
    const config = ctx.config;
    const once = (value: unknown, fallback: string) => pyStr(template(value, fallback).eval(config));
    if (model.token_refresh_endpoint === undefined || model.token_refresh_endpoint === null) {
      throw ctx.error('MANIFEST_INVALID', 'OAuthAuthenticator with refresh_token_updater needs token_refresh_endpoint', model);
    }
    const endpoint = once(model.token_refresh_endpoint, '');
    const byConfig = (path: string[], fallback: unknown) => {
      const { found, value } = dpathGet(config, path);
      return found ? value : fallback ?? '';
    };
    const modelClientId = model.client_id ? template(model.client_id, '').eval(config) : model.client_id;
    const modelClientSecret = model.client_secret ? template(model.client_secret, '').eval(config) : model.client_secret;
    const clientId = byConfig(['credentials', 'client_id'], modelClientId);
    const clientSecret = byConfig(['credentials', 'client_secret'], modelClientSecret);
    ctx.run.masker.add(clientSecret);
    const body = interpolateMapping(asRecord(model.refresh_request_body), parameters, config) as Record<string, unknown>;
    const headers = interpolateMapping(asRecord(model.refresh_request_headers), parameters, config) as Record<string, unknown>;
    const settings: OAuthSettings = {
      endpoint: () => endpoint,
      grantTypeName: constant(once(model.grant_type_name, 'grant_type')),
      grantType: constant(once(model.grant_type, 'refresh_token')),
      clientIdName: constant(once(model.client_id_name, 'client_id')),
      clientId: () => clientId,
      clientSecretName: constant(once(model.client_secret_name, 'client_secret')),
      clientSecret: () => clientSecret,
      refreshTokenName: constant(typeof updater.refresh_token_name === 'string' ? updater.refresh_token_name : 'refresh_token'),
      accessTokenName: constant(once(model.access_token_name, 'access_token')),
      expiresInName: constant(once(model.expires_in_name, 'expires_in')),
      scopes,
      body: () => body,
      headers: () => headers,
      asQuery,
      expiryIsTimeOfExpiration,
      profileAssertion: undefined,
      errors,
    };
    const store = new ConfigTokenStore(
      ctx,
      stringList(updater.access_token_config_path, ['credentials', 'access_token']),
      stringList(updater.refresh_token_config_path, ['credentials', 'refresh_token']),
      stringList(updater.token_expiry_date_config_path, ['credentials', 'token_expiry_date']),
    );
    const refreshToken = store.refreshToken();
    if (refreshToken) ctx.run.masker.add(refreshToken);
    return new OAuthAuthenticator(ctx, settings, store, true);
  }

  // DeclarativeOauth2Authenticator.
  const profileAssertion = ctx.optional<TokenSource>(model, 'profile_assertion', 'JwtAuthenticator');
  const useProfileAssertion = Boolean(model.use_profile_assertion);
  const endpoint = optionalTemplate(model.token_refresh_endpoint, parameters);
  const clientId = model.client_id ? template(model.client_id, '') : undefined;
  const clientSecret = model.client_secret ? template(model.client_secret, '') : undefined;
  const refreshToken = optionalTemplate(model.refresh_token, parameters);
  const grantType = useProfileAssertion
    ? template('urn:ietf:params:oauth:grant-type:jwt-bearer', '')
    : template(model.grant_type, 'refresh_token');

  let expiresAt: number;
  try {
    const raw = model.token_expiry_date;
    if ((typeof raw === 'number' || typeof raw === 'string') && /^\d+$/.test(String(raw))) {
      expiresAt = parseAirbyteDatetime(typeof raw === 'number' ? raw : String(raw), ctx.run.clock);
    } else if (raw) {
      expiresAt = parseAirbyteDatetime(template(raw, '').eval(ctx.config), ctx.run.clock);
    } else {
      expiresAt = ctx.run.clock() - 86_400_000;
    }
  } catch (error) {
    throw ctx.error(
      'CONFIG_INVALID',
      `Invalid token expiry date format: ${error instanceof Error ? error.message : String(error)}`,
      model,
    );
  }

  let accessToken: unknown;
  if (model.access_token_value !== undefined && model.access_token_value !== null) {
    const value = template(model.access_token_value, '').eval(ctx.config);
    accessToken = model.access_token_value ? (value ?? undefined) : undefined;
    if (accessToken !== undefined) ctx.run.masker.add(pyStr(accessToken));
  }

  if (!useProfileAssertion && (model.client_id === undefined || model.client_id === null || model.client_secret === undefined || model.client_secret === null)) {
    throw ctx.error(
      'MANIFEST_INVALID',
      "OAuthAuthenticator configuration error: Both 'client_id' and 'client_secret' are required for the basic OAuth flow.",
      model,
    );
  }
  if (!profileAssertion && useProfileAssertion) {
    throw ctx.error(
      'MANIFEST_INVALID',
      "OAuthAuthenticator configuration error: 'profile_assertion' is required when using the profile assertion flow.",
      model,
    );
  }
  if (pyStr(grantType.eval(ctx.config)) === 'refresh_token' && !refreshToken) {
    throw ctx.error(
      'MANIFEST_INVALID',
      "OAuthAuthenticator configuration error: A 'refresh_token' is required when the 'grant_type' is set to 'refresh_token'.",
      model,
    );
  }

  const settings: OAuthSettings = {
    endpoint: () => {
      if (!endpoint) return undefined;
      const url = evalText(endpoint, ctx);
      if (!url) throw new RuntimeError('AUTH_FAILED', 'OAuthAuthenticator was unable to evaluate token_refresh_endpoint parameter');
      return pyStr(url);
    },
    grantTypeName: asString(template(model.grant_type_name, 'grant_type')),
    grantType: asString(grantType),
    clientIdName: asString(template(model.client_id_name, 'client_id')),
    clientId: () => {
      const value = evalText(clientId, ctx);
      if (!value) throw new RuntimeError('AUTH_FAILED', 'OAuthAuthenticator was unable to evaluate client_id parameter');
      return value;
    },
    clientSecretName: asString(template(model.client_secret_name, 'client_secret')),
    clientSecret: () => {
      const value = evalText(clientSecret, ctx);
      if (!value) {
        ctx.run.logger.warn("OAuthAuthenticator was unable to evaluate client_secret parameter hence it'll be empty");
      } else {
        ctx.run.masker.add(pyStr(value));
      }
      return value ?? undefined;
    },
    refreshTokenName: asString(template(model.refresh_token_name, 'refresh_token')),
    accessTokenName: asString(template(model.access_token_name, 'access_token')),
    expiresInName: asString(template(model.expires_in_name, 'expires_in')),
    scopes,
    body: () => interpolateMapping(asRecord(model.refresh_request_body), parameters, ctx.config) as Record<string, unknown>,
    headers: () => interpolateMapping(asRecord(model.refresh_request_headers), parameters, ctx.config) as Record<string, unknown>,
    asQuery,
    expiryIsTimeOfExpiration,
    profileAssertion: useProfileAssertion ? profileAssertion : undefined,
    errors,
  };
  const store = new MemoryTokenStore(accessToken, expiresAt, () => {
    if (!refreshToken) return undefined;
    const value = pyStr(refreshToken.eval(ctx.config));
    ctx.run.masker.add(value);
    return value;
  });
  return new OAuthAuthenticator(ctx, settings, store, false);
};

function utcExpiry(ms: number): Expiry {
  return { ms, text: pythonIsoUtc(ms) };
}

function constant<T>(value: T): () => T {
  return () => value;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

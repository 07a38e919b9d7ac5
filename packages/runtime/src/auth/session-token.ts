import { type Duration, parseDuration } from '../datetime/duration.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { BuildContext, Builder, Model } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import type { Decoder } from '../decoders/decoder.js';
import { InterpolatedString } from '../interpolation/index.js';
import type { HttpResponse } from '../requesters/http-client.js';
import type { RequestOption } from '../requesters/request-option.js';
import { emptyOptions, type RequestOptions } from '../requesters/request-options.js';
import type { Authenticator } from './authenticator.js';
import { describeUrl, dpathGet, pyStr, report } from './oauth.js';

/**
 * What SessionTokenAuthenticator needs from its built `login_requester` (an HttpRequester): send the
 * login request once, with the requester's own url/path/method/params/body/authenticator and its
 * error handler (retries included). Resolves undefined when the error handler said IGNORE.
 */
export interface LoginRequester {
  sendOnce(): Promise<HttpResponse | undefined>;
}

/** The session token: fetched on first use, again after `expiration_duration` (every use without one) or a 401. */
export class SessionTokenProvider {
  private token: unknown;
  private expiresAt: number | undefined;
  private fetching: Promise<void> | undefined;

  constructor(
    private readonly ctx: BuildContext,
    private readonly login: LoginRequester,
    private readonly tokenPath: string[],
    private readonly expiration: Duration | undefined,
    private readonly decoder: Decoder | undefined,
  ) {}

  async getToken(): Promise<string> {
    if (this.expiresAt === undefined || this.expiresAt < this.ctx.run.clock()) await this.refresh();
    if (this.token === undefined || this.token === null) {
      throw new RuntimeError('AUTH_FAILED', 'Failed to get session token, token is None', { path: this.ctx.path });
    }
    return pyStr(this.token);
  }

  async refresh(): Promise<void> {
    this.fetching ??= this.fetch().finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  private async fetch(): Promise<void> {
    if (typeof this.login?.sendOnce !== 'function') {
      throw new RuntimeError('INTERNAL', 'the login_requester of SessionTokenAuthenticator cannot send requests', {
        path: this.ctx.path,
      });
    }
    const response = await this.login.sendOnce();
    if (!response) {
      throw new RuntimeError('AUTH_FAILED', 'Failed to get session token, response got ignored by requester', {
        path: this.ctx.path,
      });
    }
    report(this.ctx, response.request, response, 'Login request');
    const body = this.decode(response);
    const { found, value } = dpathGet(body, this.tokenPath);
    if (!found) {
      throw new RuntimeError(
        'AUTH_FAILED',
        `the login response of ${describeUrl(response.url)} has no session token at '${this.tokenPath.join('.')}'`,
        { path: this.ctx.path, help: 'Check session_token_path against the login response' },
      );
    }
    if (value !== undefined && value !== null) this.ctx.run.masker.add(pyStr(value));
    // Without expiration_duration the CDK never records an expiry, so it logs in again for every request.
    this.expiresAt = this.expiration ? addDuration(this.ctx.run.clock(), this.expiration) : undefined;
    this.token = value;
  }

  private decode(response: HttpResponse): unknown {
    if (this.decoder) {
      for (const item of this.decoder.decode(response)) return item;
      return {};
    }
    try {
      return JSON.parse(response.text());
    } catch {
      // The CDK's JsonDecoder yields {} for a body that is not JSON.
      return {};
    }
  }
}

/** Epoch ms plus an isodate Duration: calendar years/months first (day clamped), then the timedelta. */
export function addDuration(epochMs: number, duration: Duration): number {
  let ms = epochMs;
  if (duration.years || duration.months) {
    const date = new Date(ms);
    const totalMonths = date.getUTCFullYear() * 12 + date.getUTCMonth() + duration.years * 12 + duration.months;
    const year = Math.floor(totalMonths / 12);
    const month = totalMonths - year * 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const day = Math.min(date.getUTCDate(), lastDay);
    const timeOfDay = ms - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    ms = Date.UTC(year, month, day) + timeOfDay;
  }
  return ms + duration.days * 86_400_000 + duration.seconds * 1000 + duration.microseconds / 1000;
}

/** SessionTokenAuthenticator: `Bearer` or `ApiKey` request authentication with the session token. */
export class SessionTokenAuthenticator implements Authenticator {
  constructor(
    private readonly provider: SessionTokenProvider,
    private readonly inject: (token: string) => RequestOptions,
    private readonly template: ((session: string) => string) | undefined,
  ) {}

  async options(): Promise<RequestOptions> {
    const session = await this.provider.getToken();
    return this.inject(this.template ? this.template(session) : session);
  }

  async invalidate(): Promise<boolean> {
    await this.provider.refresh();
    return true;
  }
}

export const buildSessionTokenAuthenticator: Builder<SessionTokenAuthenticator> = (model, ctx) => {
  const parameters = parametersOf(model);
  const decoder = ctx.optional<Decoder>(model, 'decoder', 'JsonDecoder');
  const login = ctx.required<LoginRequester>(model, 'login_requester', 'HttpRequester');
  const tokenPath = Array.isArray(model.session_token_path) ? model.session_token_path.map(String) : undefined;
  if (!tokenPath) throw ctx.error('MANIFEST_INVALID', "missing required field 'session_token_path'", model);
  let expiration: Duration | undefined;
  if (model.expiration_duration) {
    try {
      expiration = parseDuration(String(model.expiration_duration));
    } catch (error) {
      throw ctx.error(
        'MANIFEST_INVALID',
        `expiration_duration '${String(model.expiration_duration)}' is not an ISO 8601 duration: ${
          error instanceof Error ? error.message : String(error)
        }`,
        model,
      );
    }
  }
  const provider = new SessionTokenProvider(ctx, login, tokenPath, expiration, decoder);
  const auth = model.request_authentication as Model | undefined;
  if (!auth || typeof auth !== 'object') {
    throw ctx.error('MANIFEST_INVALID', "missing required field 'request_authentication'", model);
  }
  if (auth.type === 'Bearer') {
    return new SessionTokenAuthenticator(provider, (token) => ({ ...emptyOptions(), headers: { Authorization: `Bearer ${token}` } }), undefined);
  }
  if (auth.type !== 'ApiKey') {
    throw ctx.error('MANIFEST_INVALID', `request_authentication type '${String(auth.type)}' is not ApiKey or Bearer`, auth);
  }
  const option = ctx.at('request_authentication').required<RequestOption>(auth, 'inject_into', 'RequestOption');
  const apiToken = new InterpolatedString(String(auth.api_token || '{{ session_token }}'), parameters);
  return new SessionTokenAuthenticator(
    provider,
    (token) => option.inject(token, emptyOptions()),
    (session) => {
      const value = pyStr(apiToken.eval(ctx.config, { session_token: session }));
      ctx.run.masker.add(value);
      return value;
    },
  );
};

// ---------------------------------------------------------------------------------------------
// LegacySessionTokenAuthenticator (deprecated): validate the configured session token, or log in
// with username/password; the token goes into the configured header.
// ---------------------------------------------------------------------------------------------

export class LegacySessionTokenAuthenticator implements Authenticator {
  private cached: string | undefined;

  constructor(
    private readonly ctx: BuildContext,
    private readonly t: {
      apiUrl: InterpolatedString;
      header: InterpolatedString;
      sessionToken: InterpolatedString;
      responseKey: InterpolatedString;
      username: InterpolatedString;
      password: InterpolatedString;
      loginUrl: InterpolatedString;
      validateUrl: InterpolatedString;
    },
  ) {}

  private text(template: InterpolatedString): string {
    const value = template.eval(this.ctx.config);
    return value === undefined || value === null ? '' : pyStr(value);
  }

  async options(): Promise<RequestOptions> {
    const header = this.text(this.t.header);
    const options = emptyOptions();
    if (!header) return options;
    options.headers[header] = await this.token();
    return options;
  }

  async invalidate(): Promise<boolean> {
    this.cached = undefined;
    return true;
  }

  async token(): Promise<string> {
    if (this.cached !== undefined) return this.cached;
    const session = this.text(this.t.sessionToken);
    if (session) {
      this.ctx.run.masker.add(session);
      if (await this.isValid(session)) return (this.cached = session);
    }
    const username = this.text(this.t.username);
    const password = this.text(this.t.password);
    if (password && username) {
      this.ctx.run.logger.info('Using generated session token by username and password');
      const token = await this.login(username, password);
      this.ctx.run.masker.add(token);
      return (this.cached = token);
    }
    throw this.fail('Invalid credentials: session token is not valid or provide username and password');
  }

  private async isValid(session: string): Promise<boolean> {
    const url = `${this.text(this.t.apiUrl)}${this.text(this.t.validateUrl)}`;
    const request = { method: 'GET', url, headers: { [this.text(this.t.header)]: session } };
    const response = await this.send(request);
    if (response.status === 401) {
      this.ctx.run.logger.info(`Unable to connect by session token from config due to HTTP 401 from ${describeUrl(url)}`);
      return false;
    }
    if (response.status >= 400) {
      throw this.fail(`Error while validating session token: HTTP ${response.status} from ${describeUrl(url)}`);
    }
    this.ctx.run.logger.info('Connection check for source is successful.');
    return true;
  }

  private async login(username: string, password: string): Promise<string> {
    const url = `${this.text(this.t.apiUrl)}${this.text(this.t.loginUrl)}`;
    const request = {
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    };
    const response = await this.send(request);
    if (response.status >= 400) {
      throw this.fail(`Failed to retrieve new session token, HTTP ${response.status} from ${describeUrl(url)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(response.text());
    } catch {
      throw this.fail(`the login response of ${describeUrl(url)} is not JSON`);
    }
    const key = this.text(this.t.responseKey);
    if (typeof json !== 'object' || json === null || !Object.hasOwn(json, key)) {
      throw this.fail(`the login response of ${describeUrl(url)} has no '${key}'`);
    }
    return pyStr((json as Record<string, unknown>)[key]);
  }

  private async send(request: { method: string; url: string; headers: Record<string, string>; body?: string }) {
    let response: HttpResponse;
    try {
      response = await this.ctx.run.http.send(request, this.ctx.run.signal);
    } catch (error) {
      throw new RuntimeError(
        'AUTH_FAILED',
        `the session request to ${describeUrl(request.url)} failed: ${error instanceof Error ? error.message : String(error)}`,
        { path: this.ctx.path, failureType: 'transient_error', cause: error },
      );
    }
    report(this.ctx, request, response, request.method === 'GET' ? 'Validate session token' : 'Login request');
    return response;
  }

  private fail(message: string): RuntimeError {
    return new RuntimeError('AUTH_FAILED', message, { path: this.ctx.path });
  }
}

/** Where the requester builder leaves its `url` or `url_base` while it builds its authenticator. */
export const REQUESTER_URL_BASE = 'requesterUrlBase';

/**
 * The CDK passes the requester's `url` or `url_base` as `api_url`; the requester builder leaves
 * it in the build context (`$parameters.url_base` and an explicit `api_url` also work).
 */
export const buildLegacySessionTokenAuthenticator: Builder<LegacySessionTokenAuthenticator> = (model, ctx) => {
  const parameters = parametersOf(model);
  const t = (value: unknown) => new InterpolatedString(value === undefined || value === null ? '' : String(value), parameters);
  return new LegacySessionTokenAuthenticator(ctx, {
    apiUrl: t(model.api_url ?? ctx.shared[REQUESTER_URL_BASE] ?? parameters.url_base ?? ''),
    header: t(model.header),
    sessionToken: t(model.session_token ?? ''),
    responseKey: t(model.session_token_response_key ?? ''),
    username: t(model.username ?? ''),
    password: t(model.password ?? ''),
    loginUrl: t(model.login_url),
    validateUrl: t(model.validate_session_url),
  });
};

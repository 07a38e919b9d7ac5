import type { Builder } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import type { RequestOption } from '../requesters/request-option.js';
import { emptyOptions } from '../requesters/request-options.js';
import type { Authenticator } from './authenticator.js';
import { resolveToken } from './token.js';

/** ApiKeyAuthenticator: the token goes into a header, a query parameter or the body. */
export const buildApiKeyAuthenticator: Builder<Authenticator> = (model, ctx) => {
  const parameters = parametersOf(model);
  const token = new InterpolatedString(String(model.api_token ?? ''), parameters);
  const tokenProvider = ctx.optional<{ token(): Promise<string> }>(model, 'login_requester_token_provider');
  const inject = ctx.optional<RequestOption>(model, 'inject_into', 'RequestOption');
  const header = model.header === undefined ? undefined : new InterpolatedString(String(model.header), parameters);
  return {
    async options() {
      const value = tokenProvider ? await tokenProvider.token() : resolveToken(token, ctx);
      const options = emptyOptions();
      if (inject) return inject.inject(value, options);
      options.headers[String(header?.eval(ctx.config) ?? 'X-API-KEY')] = value;
      return options;
    },
  };
};

/** BearerAuthenticator: `Authorization: Bearer <token>`. */
export const buildBearerAuthenticator: Builder<Authenticator> = (model, ctx) => {
  const token = new InterpolatedString(String(model.api_token ?? ''), parametersOf(model));
  return {
    async options() {
      return { headers: { Authorization: `Bearer ${resolveToken(token, ctx)}` } };
    },
  };
};

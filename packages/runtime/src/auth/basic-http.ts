import type { Builder } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import type { Authenticator } from './authenticator.js';

/** BasicHttpAuthenticator: `Authorization: Basic base64(username:password)`; password may be empty. */
export const buildBasicHttpAuthenticator: Builder<Authenticator> = (model, ctx) => {
  const parameters = parametersOf(model);
  const username = new InterpolatedString(String(model.username ?? ''), parameters);
  const password = new InterpolatedString(String(model.password ?? ''), parameters);
  return {
    async options() {
      const user = String(username.eval(ctx.config) ?? '');
      const pass = String(password.eval(ctx.config) ?? '');
      const encoded = Buffer.from(`${user}:${pass}`).toString('base64');
      ctx.run.masker.add(encoded);
      return { headers: { Authorization: `Basic ${encoded}` } };
    },
  };
};

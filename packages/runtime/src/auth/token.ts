import type { BuildContext } from '../factory/build-context.js';
import type { InterpolatedString } from '../interpolation/index.js';
import { RuntimeError } from '../errors/runtime-error.js';

/** Evaluates a token template; an empty token is a config error, as in the CDK. */
export function resolveToken(template: InterpolatedString, ctx: BuildContext): string {
  const value = template.eval(ctx.config);
  const text = value === null || value === undefined ? '' : String(value);
  if (!text) {
    throw new RuntimeError('AUTH_FAILED', `the token from '${template.source}' is empty`, {
      path: ctx.path,
      help: 'Check that the config has a value for it',
    });
  }
  ctx.run.masker.add(text);
  return text;
}

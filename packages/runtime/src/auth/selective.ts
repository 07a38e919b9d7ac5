import type { Builder, Model } from '../factory/build-context.js';
import type { Authenticator } from './authenticator.js';
import { dpathGet, pyStr } from './oauth.js';

/**
 * SelectiveAuthenticator: picks one of `authenticators` by the config value at
 * `authenticator_selection_path` (compared as Python's `str()` of the value). Only the selected
 * authenticator is built.
 */
export const buildSelectiveAuthenticator: Builder<Authenticator> = (model, ctx) => {
  const path = Array.isArray(model.authenticator_selection_path)
    ? model.authenticator_selection_path.map(String)
    : undefined;
  if (!path) throw ctx.error('MANIFEST_INVALID', "missing required field 'authenticator_selection_path'", model);
  const authenticators =
    typeof model.authenticators === 'object' && model.authenticators !== null && !Array.isArray(model.authenticators)
      ? (model.authenticators as Record<string, Model>)
      : undefined;
  if (!authenticators) throw ctx.error('MANIFEST_INVALID', "missing required field 'authenticators'", model);
  const allowed = Object.keys(authenticators)
    .map((key) => `'${key}'`)
    .join(', ');
  const where = path.join('.');
  const { found, value } = dpathGet(ctx.config, path);
  if (!found) {
    throw ctx.error(
      'CONFIG_INVALID',
      `The path from \`authenticator_selection_path\` is not found in the config: '${where}' (allowed values: ${allowed})`,
      model,
    );
  }
  const key = pyStr(value);
  const selected = Object.hasOwn(authenticators, key) ? authenticators[key] : undefined;
  if (!selected) {
    throw ctx.error(
      'CONFIG_INVALID',
      `The authenticator \`${key}\` is not found: the config value at '${where}' must be one of ${allowed}`,
      model,
    );
  }
  return ctx.at('authenticators').at(key).component<Authenticator>(selected);
};

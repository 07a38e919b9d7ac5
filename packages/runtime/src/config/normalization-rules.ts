import { Ajv } from 'ajv';
import type { Json } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { BuildContext, Builder, Model } from '../factory/build-context.js';
import { getExact, values } from '../dpath/dpath.js';
import { InterpolatedString } from '../interpolation/index.js';
import type { ConfigTransformation } from '../transformations/config-transformations.js';

/**
 * The spec's `config_normalization_rules`: migrations rewrite the user's config (the change is
 * saved and announced with a CONTROL message), transformations adjust it in memory for this run,
 * validations check it. Applied in that order, before anything reads the config.
 */
export interface ConfigRules {
  /** Applies the migrations in place; true when the config changed. */
  migrate(config: Json): boolean;
  transform(config: Json): void;
  validate(config: Json): void;
}

interface Validator {
  validate(config: Json): void;
}

interface ValidationStrategy {
  validate(value: unknown): void;
}

export function buildConfigRules(spec: Model | undefined, ctx: BuildContext): ConfigRules {
  const rules = spec?.config_normalization_rules as Model | undefined;
  const here = ctx.at('spec').at('config_normalization_rules');
  const migrations = ((rules?.config_migrations as Model[] | undefined) ?? []).map((migration, index) =>
    here.at('config_migrations').at(index).list<ConfigTransformation>(migration, 'transformations'),
  );
  const transformations = rules ? here.list<ConfigTransformation>(rules, 'transformations') : [];
  const validations = rules ? here.list<Validator>(rules, 'validations') : [];
  return {
    migrate(config) {
      const before = JSON.stringify(config);
      for (const migration of migrations) for (const transformation of migration) transformation.transform(config);
      return JSON.stringify(config) !== before;
    },
    transform(config) {
      for (const transformation of transformations) transformation.transform(config);
    },
    validate(config) {
      for (const validator of validations) validator.validate(config);
    },
  };
}

const buildDpathValidator: Builder<Validator> = (model, ctx) => {
  const path = ((model.field_path as unknown[]) ?? []).map((segment) => new InterpolatedString(String(segment), {}));
  const strategy = ctx.required<ValidationStrategy>(model, 'validation_strategy');
  return {
    validate(config) {
      const keys = path.map((segment) => String(segment.eval({})));
      if (keys.length === 0) throw invalid('the DpathValidator field_path is empty', ctx);
      // As the CDK: a path that is not in the config skips the validation.
      let found: unknown[];
      if (keys.includes('*')) found = values(config, keys);
      else {
        const hit = getExact(config, keys);
        if (!hit.found) return;
        found = [hit.value];
      }
      for (const value of found) check(strategy, value, `config.${keys.join('.')}`, ctx);
    },
  };
};

const buildPredicateValidator: Builder<Validator> = (model, ctx) => {
  const strategy = ctx.required<ValidationStrategy>(model, 'validation_strategy');
  return {
    validate(config) {
      const value = typeof model.value === 'string' ? new InterpolatedString(model.value, {}).eval(config) : model.value;
      check(strategy, value, 'a predicate', ctx);
    },
  };
};

const buildValidateAdheresToSchema: Builder<ValidationStrategy> = (model, ctx) => {
  let schema = model.base_schema;
  if (typeof schema === 'string') {
    try {
      schema = JSON.parse(schema);
    } catch {
      throw invalid('ValidateAdheresToSchema base_schema is not valid JSON', ctx);
    }
  }
  const validate = new Ajv({ strict: false, allErrors: false, validateFormats: false }).compile(schema as object);
  return {
    validate(value) {
      let data = value;
      if (typeof data === 'string') {
        try {
          data = JSON.parse(data);
        } catch {
          throw new Error(`Invalid JSON string: ${String(value).slice(0, 100)}`);
        }
      }
      if (!validate(data)) {
        const [first] = validate.errors ?? [];
        throw new Error(`JSON schema validation error: ${first?.instancePath || '(value)'} ${first?.message ?? 'is invalid'}`);
      }
    },
  };
};

function check(strategy: ValidationStrategy, value: unknown, what: string, ctx: BuildContext): void {
  try {
    strategy.validate(value);
  } catch (error) {
    throw new RuntimeError('CONFIG_INVALID', `${what} is not valid: ${(error as Error).message}`, { path: ctx.path });
  }
}

function invalid(message: string, ctx: BuildContext): RuntimeError {
  return new RuntimeError('MANIFEST_INVALID', message, { path: ctx.path });
}

export const configRuleBuilders: Record<string, Builder> = {
  DpathValidator: buildDpathValidator,
  PredicateValidator: buildPredicateValidator,
  ValidateAdheresToSchema: buildValidateAdheresToSchema,
};

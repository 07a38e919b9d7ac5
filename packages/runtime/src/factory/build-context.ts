import type { RunContext } from '../context.js';
import { type ErrorCode } from '../errors/codes.js';
import { RuntimeError } from '../errors/runtime-error.js';

export type Model = Record<string, unknown>;
export type Builder<T = unknown> = (model: Model, ctx: BuildContext) => T;

/**
 * Carries the run, the manifest path of the component being built, and the registry. Builders
 * call `ctx.build(child, 'field')` to build children; the path grows on the way down so errors
 * can say `streams[2].retriever.paginator`.
 */
export class BuildContext {
  constructor(
    readonly run: RunContext,
    readonly registry: ReadonlyMap<string, Builder>,
    readonly path: string,
    private readonly locator?: (node: object) => { line: number; column: number } | undefined,
    /** Components shared by the whole manifest (the top-level api_budget). */
    readonly shared: Record<string, unknown> = {},
  ) {}

  get config(): Record<string, unknown> {
    return this.run.config;
  }

  at(field: string | number): BuildContext {
    const path =
      typeof field === 'number' ? `${this.path}[${field}]` : this.path ? `${this.path}.${field}` : field;
    return new BuildContext(this.run, this.registry, path, this.locator, this.shared);
  }

  /** Builds the component at `model[field]`, or returns undefined when the field is absent. */
  optional<T>(model: Model, field: string, defaultType?: string): T | undefined {
    const child = model[field];
    if (child === undefined || child === null) return undefined;
    return this.at(field).component<T>(child as Model, defaultType);
  }

  /** Builds a component that must be present. */
  required<T>(model: Model, field: string, defaultType?: string): T {
    const built = this.optional<T>(model, field, defaultType);
    if (built === undefined) throw this.error('MANIFEST_INVALID', `missing required field '${field}'`, model);
    return built;
  }

  list<T>(model: Model, field: string, defaultType?: string): T[] {
    const items = model[field];
    if (!Array.isArray(items)) return [];
    const here = this.at(field);
    return items.map((item, index) => here.at(index).component<T>(item as Model, defaultType));
  }

  /** Builds `model` itself, looked up by its `type`. */
  component<T>(model: Model, defaultType?: string): T {
    const type = (model.type as string | undefined) ?? defaultType;
    if (!type) throw this.error('MANIFEST_INVALID', 'component has no type', model);
    if (type.startsWith('Custom')) {
      throw this.error(
        'MANIFEST_CUSTOM_COMPONENT',
        `${type} '${String(model.class_name ?? '')}' needs custom Python code (components.py), which this runtime does not run`,
        model,
      );
    }
    const builder = this.registry.get(type);
    if (!builder) {
      throw this.error('MANIFEST_UNSUPPORTED', `component type '${type}' is not supported by this runtime yet`, model);
    }
    try {
      return builder(model, this) as T;
    } catch (error) {
      if (error instanceof RuntimeError && error.path === undefined) {
        error.path = this.path;
        error.line ??= this.locate(model);
      }
      throw error;
    }
  }

  locate(node: unknown): number | undefined {
    if (!this.locator || typeof node !== 'object' || node === null) return undefined;
    return this.locator(node)?.line;
  }

  error(code: ErrorCode, message: string, node?: unknown): RuntimeError {
    return new RuntimeError(code, message, { path: this.path, line: this.locate(node) });
  }
}

export function parametersOf(model: Model): Record<string, unknown> {
  const parameters = model.$parameters ?? model.parameters;
  return typeof parameters === 'object' && parameters !== null ? (parameters as Record<string, unknown>) : {};
}

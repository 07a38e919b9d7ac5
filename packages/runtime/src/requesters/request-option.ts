import type { Builder } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import { type InjectInto, type RequestOptions, injectValue } from './request-options.js';

/** A built RequestOption: where to put a value; `field_name` and `field_path` are templates. */
export class RequestOption {
  constructor(
    readonly injectInto: InjectInto,
    private readonly fieldName: InterpolatedString | undefined,
    private readonly fieldPath: InterpolatedString[] | undefined,
    private readonly config: Record<string, unknown>,
  ) {}

  inject(value: unknown, target: RequestOptions, extra: Record<string, unknown> = {}): RequestOptions {
    const fieldName = this.fieldName ? String(this.fieldName.eval(this.config, extra)) : undefined;
    const fieldPath = this.fieldPath?.map((part) => String(part.eval(this.config, extra)));
    return injectValue({ inject_into: this.injectInto, fieldName, fieldPath }, value, target);
  }

  /**
   * The key both this option and `other` write, if any: same place and the same key, or (nested
   * body_json) one path inside the other. Fields are evaluated with the config alone; one that
   * needs more (a slice, a token) cannot be checked before the read and is taken as no clash.
   */
  clashWith(other: RequestOption): string | undefined {
    if (this.injectInto !== other.injectInto) return undefined;
    const mine = this.keyPath();
    const theirs = other.keyPath();
    if (!mine || !theirs) return undefined;
    const shorter = mine.length <= theirs.length ? mine : theirs;
    const longer = shorter === mine ? theirs : mine;
    return shorter.every((part, i) => part === longer[i]) ? shorter.join('.') : undefined;
  }

  private keyPath(): string[] | undefined {
    try {
      // As injectValue: a nested path only for body_json, otherwise the field name first.
      const name = this.fieldName ? String(this.fieldName.eval(this.config, {})) : undefined;
      const path = this.fieldPath?.map((part) => String(part.eval(this.config, {})));
      if (this.injectInto === 'body_json') return path ?? (name === undefined ? undefined : [name]);
      const key = name ?? path?.[0];
      return key === undefined ? undefined : [key];
    } catch {
      return undefined;
    }
  }

  /** The key this option writes, for messages and conflict checks. */
  describe(): string {
    return `${this.injectInto}:${this.fieldName?.source ?? this.fieldPath?.map((p) => p.source).join('.')}`;
  }
}

export const buildRequestOption: Builder<RequestOption> = (model, ctx) => {
  const parameters = parametersOf(model);
  const name = model.field_name as string | undefined;
  const path = model.field_path as string[] | undefined;
  return new RequestOption(
    model.inject_into as InjectInto,
    name === undefined ? undefined : new InterpolatedString(name, parameters),
    path?.map((part) => new InterpolatedString(part, parameters)),
    ctx.config,
  );
};

import type { Json } from '../context.js';
import type { Builder } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import { pyStr, truthy } from '../interpolation/values.js';
import type { RequestOption } from '../requesters/request-option.js';
import { type RequestOptions, emptyOptions } from '../requesters/request-options.js';
import type { PartitionRouter } from './partition-router.js';
import { type StreamSlice, makeSlice } from './stream-slice.js';

/**
 * ListPartitionRouter: one partition `{cursor_field: value}` per value of a list (or of a
 * template that evaluates to a list); `request_option` sends the value.
 */
export class ListPartitionRouter implements PartitionRouter {
  constructor(
    readonly values: unknown[],
    private readonly cursorField: InterpolatedString,
    readonly requestOption: RequestOption | undefined,
    private readonly config: Json,
  ) {}

  private key(): string {
    return pyStr(this.cursorField.eval(this.config));
  }

  async *partitions(): AsyncIterable<StreamSlice> {
    const key = this.key();
    for (const value of this.values) yield makeSlice({ [key]: value });
  }

  requestOptions(slice: StreamSlice): Partial<RequestOptions> {
    if (!this.requestOption) return {};
    const key = this.key();
    const value = key in slice.partition ? slice.partition[key] : slice.cursorSlice[key];
    if (!truthy(value)) return {};
    return this.requestOption.inject(value, emptyOptions());
  }
}

export const buildListPartitionRouter: Builder<ListPartitionRouter> = (model, ctx) => {
  const parameters = parametersOf(model);
  let values: unknown = model.values;
  if (typeof values === 'string') values = new InterpolatedString(values, parameters).eval(ctx.config);
  // Python iterates whatever the template gave: a string iterates its characters.
  let list: unknown[];
  if (Array.isArray(values)) list = values;
  else if (typeof values === 'string') list = [...values];
  else if (typeof values === 'object' && values !== null) list = Object.keys(values);
  else throw ctx.error('MANIFEST_INVALID', `ListPartitionRouter.values must be a list, got ${pyStr(values)}`, model);
  return new ListPartitionRouter(
    list,
    new InterpolatedString(String(model.cursor_field ?? ''), parameters),
    ctx.optional<RequestOption>(model, 'request_option', 'RequestOption'),
    ctx.config,
  );
};

import type { Json } from '../../context.js';
import { isTruthy } from '../../extractors/dpath-extractor.js';
import type { Builder } from '../../factory/build-context.js';
import { parametersOf } from '../../factory/build-context.js';
import { InterpolatedBoolean, InterpolatedString } from '../../interpolation/index.js';
import type { PageInfo, PaginationStrategy } from '../paginator.js';

/** CursorPagination: the next token is a template over the response, headers and last record. */
export class CursorPagination implements PaginationStrategy {
  readonly initialToken = undefined;

  constructor(
    private readonly cursorValue: InterpolatedString,
    private readonly stopCondition: InterpolatedBoolean | undefined,
    private readonly size: number | undefined,
    private readonly config: Json,
  ) {}

  pageSize(): number | undefined {
    return this.size;
  }

  nextToken(page: PageInfo): unknown {
    const context = {
      response: page.body,
      headers: page.headers,
      last_record: page.lastRecord ?? null,
      last_page_size: page.lastPageSize,
    };
    if (this.stopCondition?.eval(this.config, context)) return undefined;
    const token = this.cursorValue.eval(this.config, context);
    return isTruthy(token) ? token : undefined;
  }
}

export const buildCursorPagination: Builder<PaginationStrategy> = (model, ctx) => {
  const parameters = parametersOf(model);
  const stop = model.stop_condition;
  return new CursorPagination(
    new InterpolatedString(String(model.cursor_value), parameters),
    stop === undefined || stop === null ? undefined : new InterpolatedBoolean(stop as string, parameters),
    pageSizeOf(model.page_size, parameters, ctx.config),
    ctx.config,
  );
};

export function pageSizeOf(value: unknown, parameters: Json, config: Json): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return value;
  const evaluated = new InterpolatedString(String(value), parameters).eval(config);
  const size = typeof evaluated === 'number' ? evaluated : Number(evaluated);
  return Number.isInteger(size) ? size : undefined;
}

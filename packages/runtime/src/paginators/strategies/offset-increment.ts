import type { Json } from '../../context.js';
import { RuntimeError } from '../../errors/runtime-error.js';
import type { Builder } from '../../factory/build-context.js';
import { parametersOf } from '../../factory/build-context.js';
import { InterpolatedString } from '../../interpolation/index.js';
import type { PageInfo, PaginationStrategy } from '../paginator.js';

/**
 * OffsetIncrement: the next offset is the previous one plus the records on the page. Since 7.x
 * the page is measured before the record filter, so a filter cannot end pagination early.
 */
export class OffsetIncrement implements PaginationStrategy {
  constructor(
    private readonly size: InterpolatedString | undefined,
    private readonly injectOnFirstRequest: boolean,
    private readonly config: Json,
  ) {}

  get initialToken(): unknown {
    return this.injectOnFirstRequest ? 0 : undefined;
  }

  pageSize(): number | undefined {
    if (!this.size) return undefined;
    const value = this.size.eval(this.config);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new RuntimeError('MANIFEST_INVALID', `OffsetIncrement page_size must be an integer, got '${String(value)}'`);
    }
    return value;
  }

  nextToken(page: PageInfo): unknown {
    const count = page.rawPageSize;
    const limit = this.size ? this.size.eval(this.config, { response: page.body }) : undefined;
    if ((typeof limit === 'number' && count < limit) || count === 0) return undefined;
    if (page.lastTokenValue === undefined || page.lastTokenValue === null) return count;
    if (typeof page.lastTokenValue !== 'number') {
      throw new RuntimeError('PAGINATION_LOOP', `OffsetIncrement's last token '${String(page.lastTokenValue)}' is not an integer`);
    }
    return page.lastTokenValue + count;
  }
}

export const buildOffsetIncrement: Builder<PaginationStrategy> = (model, ctx) => {
  const parameters = parametersOf(model);
  const size = model.page_size;
  return new OffsetIncrement(
    size === undefined || size === null || size === '' ? undefined : new InterpolatedString(String(size), parameters),
    Boolean(model.inject_on_first_request),
    ctx.config,
  );
};

import { RuntimeError } from '../../errors/runtime-error.js';
import type { Builder } from '../../factory/build-context.js';
import { parametersOf } from '../../factory/build-context.js';
import type { PageInfo, PaginationStrategy } from '../paginator.js';
import { pageSizeOf } from './cursor.js';

/** PageIncrement: page numbers from `start_from_page`; a short or empty page ends it. */
export class PageIncrement implements PaginationStrategy {
  constructor(
    private readonly size: number | undefined,
    private readonly startFromPage: number,
    private readonly injectOnFirstRequest: boolean,
  ) {}

  get initialToken(): unknown {
    return this.injectOnFirstRequest ? this.startFromPage : undefined;
  }

  pageSize(): number | undefined {
    return this.size;
  }

  nextToken(page: PageInfo): unknown {
    const count = page.rawPageSize;
    if ((this.size && count < this.size) || count === 0) return undefined;
    if (page.lastTokenValue === undefined || page.lastTokenValue === null) return this.startFromPage + 1;
    if (typeof page.lastTokenValue !== 'number') {
      throw new RuntimeError('PAGINATION_LOOP', `PageIncrement's last token '${String(page.lastTokenValue)}' is not an integer`);
    }
    return page.lastTokenValue + 1;
  }
}

export const buildPageIncrement: Builder<PaginationStrategy> = (model, ctx) => {
  const size = pageSizeOf(model.page_size, parametersOf(model), ctx.config);
  if (model.page_size !== undefined && model.page_size !== null && size === undefined) {
    throw new RuntimeError('MANIFEST_INVALID', `PageIncrement page_size must be an integer, got '${String(model.page_size)}'`);
  }
  return new PageIncrement(size, Number(model.start_from_page ?? 0), Boolean(model.inject_on_first_request));
};

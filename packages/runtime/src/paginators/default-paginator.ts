import { isTruthy } from '../extractors/dpath-extractor.js';
import type { Builder } from '../factory/build-context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { RequestOption } from '../requesters/request-option.js';
import { emptyOptions, type RequestOptions } from '../requesters/request-options.js';
import type { PageInfo, PageToken, PaginationStrategy, Paginator } from './paginator.js';

/** Marker the factory sets on a built RequestPath. */
export const REQUEST_PATH = Symbol('RequestPath');

/**
 * DefaultPaginator: a strategy computes the next token; the token goes into the request through
 * `page_token_option` (a RequestOption, or RequestPath for a full next-page URL) and the page
 * size through `page_size_option`.
 */
export class DefaultPaginator implements Paginator {
  constructor(
    private readonly strategy: PaginationStrategy,
    private readonly pageTokenOption: RequestOption | typeof REQUEST_PATH | undefined,
    private readonly pageSizeOption: RequestOption | undefined,
  ) {}

  initialToken(): PageToken | undefined {
    const initial = this.strategy.initialToken;
    return initial === undefined || initial === null ? undefined : { next_page_token: initial };
  }

  nextPageToken(page: PageInfo): PageToken | undefined {
    const token = this.strategy.nextToken(page);
    return isTruthy(token) ? { next_page_token: token } : undefined;
  }

  requestOptions(token: PageToken | undefined): Partial<RequestOptions> {
    const options = emptyOptions();
    const value = token?.next_page_token;
    if (this.pageTokenOption && this.pageTokenOption !== REQUEST_PATH && value !== undefined && value !== null) {
      this.pageTokenOption.inject(value, options);
    }
    const size = this.strategy.pageSize();
    if (this.pageSizeOption && size) this.pageSizeOption.inject(size, options);
    return options;
  }

  path(token: PageToken | undefined): string | undefined {
    const value = token?.next_page_token;
    return this.pageTokenOption === REQUEST_PATH && isTruthy(value) ? String(value) : undefined;
  }
}

export const buildDefaultPaginator: Builder<Paginator> = (model, ctx) => {
  const strategy = ctx.required<PaginationStrategy>(model, 'pagination_strategy');
  const tokenModel = model.page_token_option as Record<string, unknown> | undefined;
  const pageTokenOption =
    tokenModel?.type === 'RequestPath' ? REQUEST_PATH : ctx.optional<RequestOption>(model, 'page_token_option', 'RequestOption');
  const pageSizeOption = ctx.optional<RequestOption>(model, 'page_size_option', 'RequestOption');
  if (pageSizeOption && !strategy.pageSize()) {
    throw new RuntimeError('MANIFEST_INVALID', 'page_size_option is set but the pagination strategy has no page_size', {
      path: `${ctx.path}.page_size_option`,
    });
  }
  // As the CDK (which refuses the manifest): a page size written where the page token goes
  // would replace the token, so every page would ask for the same offset or cursor.
  const clash = pageTokenOption instanceof RequestOption && pageSizeOption ? pageTokenOption.clashWith(pageSizeOption) : undefined;
  if (clash !== undefined) {
    throw new RuntimeError('MANIFEST_INVALID', `page_token_option and page_size_option both write '${clash}' (${pageSizeOption!.injectInto}): the page size would replace the page token`, {
      path: ctx.path,
      help: 'Give the page token and the page size different field names',
    });
  }
  return new DefaultPaginator(strategy, pageTokenOption, pageSizeOption);
};

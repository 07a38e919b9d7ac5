import type { Builder } from '../factory/build-context.js';
import { buildDefaultPaginator } from './default-paginator.js';
import { buildNoPagination } from './no-pagination.js';
import { buildCursorPagination } from './strategies/cursor.js';
import { buildOffsetIncrement } from './strategies/offset-increment.js';
import { buildPageIncrement } from './strategies/page-increment.js';

export const paginatorBuilders: Record<string, Builder> = {
  DefaultPaginator: buildDefaultPaginator,
  NoPagination: buildNoPagination,
  CursorPagination: buildCursorPagination,
  OffsetIncrement: buildOffsetIncrement,
  PageIncrement: buildPageIncrement,
};

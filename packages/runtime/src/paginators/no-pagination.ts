import type { Builder } from '../factory/build-context.js';
import type { Paginator } from './paginator.js';

export const noPagination: Paginator = {
  initialToken: () => undefined,
  nextPageToken: () => undefined,
  requestOptions: () => ({}),
  path: () => undefined,
};

export const buildNoPagination: Builder<Paginator> = () => noPagination;

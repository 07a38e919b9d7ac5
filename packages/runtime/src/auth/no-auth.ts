import type { Builder } from '../factory/build-context.js';
import { type Authenticator, noAuth } from './authenticator.js';

export const buildNoAuth: Builder<Authenticator> = () => noAuth;

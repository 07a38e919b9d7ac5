export { type ApiBudget, type BudgetRequest, HttpApiBudget, type HttpApiBudgetOptions } from './api-budget.js';
export { rateLimitBuilders } from './builders.js';
export { parseIsoDuration } from './duration.js';
export { HttpRequestRegexMatcher } from './matcher.js';
export {
  type CallRatePolicy,
  FixedWindowCallRatePolicy,
  MovingWindowCallRatePolicy,
  type Rate,
  UnlimitedCallRatePolicy,
} from './policies.js';

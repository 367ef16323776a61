// The usage module's public surface: usage.refresh (daily usage for the API's whole lookback).

export {
  createUsageRefresh,
  type UsageConnection,
  type UsageRefresh,
  type UsageRefreshDeps,
} from './usage-refresh.ts';
export { reportableUsageDays } from './usage-days.ts';

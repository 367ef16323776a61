// The quota module's public surface: one limiter per customer account.

export {
  createQuotaLimiter,
  type QuotaLimiter,
  type QuotaLimiterOptions,
  type ScheduleRequest,
  type Timers,
} from './quota-limiter.ts';

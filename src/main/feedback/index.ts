// The feedback module's public surface: the outbox service (persist, send, retry, recover).

export {
  createFeedbackOutbox,
  type FeedbackOutbox,
  type FeedbackOutboxDeps,
  type Timers,
} from './feedback-outbox.ts';
export { DEFAULT_BACKOFF, type BackoffOptions } from './retry-backoff.ts';

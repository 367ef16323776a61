// The API client's interface, shared by its users (sync, feedback, profiles) and its implementation.

import type {
  UsageMetric,
  WireCallDetails,
  WireCallLists,
  WireFeedbackBody,
  WireFeedbackReport,
  WireUsageByTime,
} from '../../shared/api-wire.ts';

export type RequestPriority = 'interactive' | 'background';

export interface RequestOptions {
  /** Interactive requests (the agent clicked) go before background sync. Default: interactive. */
  priority?: RequestPriority;
  signal?: AbortSignal;
  /** Overrides the client's timeout (ms, from sending until the whole answer is read). */
  timeoutMs?: number;
}

export interface ListCallsQuery {
  startTs: number;
  endTs: number;
  cname?: string;
}

export interface CallDetailsQuery {
  callId: string;
  startTs: number;
  endTs: number;
  excludeServerUser?: boolean;
}

export interface UsageQuery {
  startTs: number;
  endTs: number;
  metrics: UsageMetric[];
}

/**
 * Every error the client throws is an AppError whose `details.delivery` says whether the request
 * can have reached the API:
 * - 'not_sent': surely not (refused locally, connection refused, DNS, cancelled before sending);
 *   safe to retry even for a non-idempotent POST;
 * - 'unknown': it left this machine and no answer came (timeout, reset, cancelled in flight);
 * - 'answered': the API answered (an error status or a body that could not be read).
 */
export type Delivery = 'not_sent' | 'unknown' | 'answered';

export interface CrystalClient {
  listCalls(query: ListCallsQuery, options?: RequestOptions): Promise<WireCallLists>;
  getCallDetails(query: CallDetailsQuery, options?: RequestOptions): Promise<WireCallDetails>;
  usageByTime(query: UsageQuery, options?: RequestOptions): Promise<WireUsageByTime>;
  reportFeedback(body: WireFeedbackBody, options?: RequestOptions): Promise<WireFeedbackReport>;
}

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

export interface CrystalClient {
  listCalls(query: ListCallsQuery, options?: RequestOptions): Promise<WireCallLists>;
  getCallDetails(query: CallDetailsQuery, options?: RequestOptions): Promise<WireCallDetails>;
  usageByTime(query: UsageQuery, options?: RequestOptions): Promise<WireUsageByTime>;
  reportFeedback(body: WireFeedbackBody, options?: RequestOptions): Promise<WireFeedbackReport>;
}

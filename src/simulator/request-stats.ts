// Counters of what the simulator answered, per endpoint and reason, for GET /__sim/stats and the
// in-process handle. Counting only; it never decides anything.

import { ENDPOINT_PATHS, type EndpointName } from '../shared/api-limits.ts';

export const REJECT_REASONS = [
  'auth_missing',
  'auth_rejected',
  'appid_rejected',
  'bad_request',
  'rate_limited',
  'quota',
  'fault_500',
  'fault_drop_before_body',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const AFTER_FAULTS = ['slow', 'malformed', 'truncated', 'drop_after_processing'] as const;
export type AfterFault = (typeof AFTER_FAULTS)[number];

export interface EndpointStats {
  /** Requests handled successfully (200), including those a later fault then spoiled. */
  accepted: number;
  rejected: Record<RejectReason, number>;
  /** Faults applied to answers after handling (an answer may be slow and truncated). */
  faults: Record<AfterFault, number>;
}

export interface SimulatorStats {
  endpoints: Record<EndpointName, EndpointStats>;
  /** Requests to unknown paths or with a wrong method. */
  not_found: number;
  /** Feedback reports recorded (answered or not). */
  feedback_reports: number;
}

export interface StatsRecorder {
  accepted(endpoint: EndpointName): void;
  rejected(endpoint: EndpointName, reason: RejectReason): void;
  fault(endpoint: EndpointName, fault: AfterFault): void;
  notFound(): void;
  snapshot(feedbackReports: number): SimulatorStats;
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function createStatsRecorder(): StatsRecorder {
  const endpoints = Object.fromEntries(
    (Object.keys(ENDPOINT_PATHS) as EndpointName[]).map((name) => [
      name,
      { accepted: 0, rejected: zeros(REJECT_REASONS), faults: zeros(AFTER_FAULTS) },
    ]),
  ) as Record<EndpointName, EndpointStats>;
  let notFound = 0;
  return {
    accepted: (e) => void endpoints[e].accepted++,
    rejected: (e, reason) => void endpoints[e].rejected[reason]++,
    fault: (e, fault) => void endpoints[e].faults[fault]++,
    notFound: () => void notFound++,
    snapshot: (feedbackReports) =>
      structuredClone({
        endpoints,
        not_found: notFound,
        feedback_reports: feedbackReports,
      }),
  };
}

// Starts a simulator in-process and hands back its handle: address, credentials, counters, ground
// truth, recorded feedback, and stop/start/close of its listening socket.

import type { PlanLimits } from '../shared/api-limits.ts';
import type { RecordedFeedback } from './endpoint-context.ts';
import { truthCalls, type TruthCall, type TruthQuery } from './ground-truth.ts';
import { listen } from './http-listener.ts';
import { createRequestListener } from './request-pipeline.ts';
import type { SimulatorStats } from './request-stats.ts';
import { createSimulatorState } from './simulator-state.ts';
import { resolveOptions, type Credentials, type SimulatorOptions } from './simulator-options.ts';
import type { DayUsage } from './usage-counts.ts';

export interface SimulatorHandle {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The first configured customer. */
  readonly credentials: Credentials;
  readonly customers: readonly Credentials[];
  readonly appid: string;
  readonly plan: PlanLimits;
  /** `Basic base64(id:secret)` for a customer (default: the first). */
  authorization(customer?: Credentials): string;
  stats(): SimulatorStats;
  /** Every call the list endpoint would show now, uncapped (see ground-truth.ts). */
  truth(query: TruthQuery): TruthCall[];
  /** Usage of the UTC day starting at `dayStart`, as the usage endpoint counts it. */
  usageTruth(dayStart: number): DayUsage;
  /** Every feedback report accepted so far, in arrival order. */
  feedbackReports(): RecordedFeedback[];
  /** Refuse connections (state kept). */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const resolved = resolveOptions(options);
  const state = createSimulatorState(resolved);
  const listener = await listen(createRequestListener(state), resolved.host, resolved.port);
  const hostInUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const first = resolved.customers[0] as Credentials;
  return {
    url: `http://${hostInUrl}:${listener.port}`,
    port: listener.port,
    host: resolved.host,
    credentials: first,
    customers: resolved.customers,
    appid: resolved.appid,
    plan: resolved.plan,
    authorization: (c = first) =>
      `Basic ${Buffer.from(`${c.customerId}:${c.secret}`).toString('base64')}`,
    stats: () => state.stats.snapshot(state.feedback.length),
    truth: (query) => truthCalls(state.world, resolved.plan, resolved.clock(), query),
    usageTruth: (dayStart) => state.usage(dayStart),
    feedbackReports: () => structuredClone(state.feedback),
    stop: () => listener.stop(),
    start: () => listener.start(),
    close: () => listener.close(),
  };
}

// Everything one running simulator holds between requests: the generated world, limit windows,
// fault stream, counters and recorded feedback. Survives stop()/start(); gone with close().

import { createFaultInjector, type FaultInjector } from './fault-injector.ts';
import type { RecordedFeedback } from './endpoint-context.ts';
import { seedHash } from './prng.ts';
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { createStatsRecorder, type StatsRecorder } from './request-stats.ts';
import { createWorld, type SimulatedWorld } from './simulated-world.ts';
import type { ResolvedOptions } from './simulator-options.ts';
import { createUsageCounter, type DayUsage } from './usage-counts.ts';

export interface SimulatorState {
  options: ResolvedOptions;
  world: SimulatedWorld;
  usage: (dayStart: number) => DayUsage;
  limiter: RateLimiter;
  faults: FaultInjector;
  stats: StatsRecorder;
  feedback: RecordedFeedback[];
}

export function createSimulatorState(options: ResolvedOptions): SimulatorState {
  const world = createWorld({ seed: options.seed, callsPerDay: options.callsPerDay });
  return {
    options,
    world,
    usage: createUsageCounter(world),
    limiter: createRateLimiter(options.plan),
    faults: createFaultInjector(seedHash(options.seed), options.faults),
    stats: createStatsRecorder(),
    feedback: [],
  };
}

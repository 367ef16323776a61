// The generated world for one (seed, calls per day): channels, their calls and each call's plan,
// with small caches. Everything here is derived on demand; nothing is stored but caches.

import { buildChannelCatalogue, type ChannelCatalogue } from './channel-catalogue.ts';
import { planCall, type CallPlan } from './call-plan.ts';
import { callsStartedBetween, findCall, type ScheduledCall } from './call-schedule.ts';
import { sessionStates, type SessionState } from './quality-model.ts';
import { seedHash } from './prng.ts';

export interface WorldOptions {
  seed: string | number;
  callsPerDay: number;
}

export interface PlannedCall {
  plan: CallPlan;
  states: ReadonlyMap<string, SessionState>;
}

export interface SimulatedWorld {
  catalogue: ChannelCatalogue;
  /** Calls starting in [startTs, endTs] (inclusive), newest first; no "now" applied. */
  callsStartedBetween(startTs: number, endTs: number, cname?: string): ScheduledCall[];
  findCall(callId: string): ScheduledCall | undefined;
  plan(call: ScheduledCall): PlannedCall;
}

const PLAN_CACHE_SIZE = 20000;

export function createWorld(options: WorldOptions): SimulatedWorld {
  const catalogue = buildChannelCatalogue(seedHash(options.seed), options.callsPerDay);
  // Plans are pure functions of the call, so caching them never changes an answer.
  const plans = new Map<string, PlannedCall>();
  return {
    catalogue,
    callsStartedBetween: (startTs, endTs, cname) =>
      callsStartedBetween(catalogue, startTs, endTs, cname),
    findCall: (callId) => findCall(catalogue, callId),
    plan(call) {
      const hit = plans.get(call.callId);
      if (hit !== undefined) {
        plans.delete(call.callId);
        plans.set(call.callId, hit);
        return hit;
      }
      const plan = planCall(catalogue, call);
      const planned = { plan, states: sessionStates(plan) };
      plans.set(call.callId, planned);
      if (plans.size > PLAN_CACHE_SIZE) {
        const oldest = plans.keys().next();
        if (!oldest.done) plans.delete(oldest.value);
      }
      return planned;
    },
  };
}

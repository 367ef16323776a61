// The simulator's ground truth for tests and tools: every call a perfect client could list now,
// without the per-response cap, optionally with every session and incident. Served at
// GET /__sim/truth and exported for in-process use; it never counts against any limit.

import type { PlanLimits } from '../shared/api-limits.ts';
import type { WireCallInfo, WireCallListItem } from '../shared/api-wire.ts';
import type { IncidentKind, Role } from './call-plan.ts';
import { callInfoAt, listItemAt } from './call-view.ts';
import type { SimulatedWorld } from './simulated-world.ts';

export interface TruthQuery {
  startTs: number;
  endTs: number;
  cname?: string;
  /** Add every session (server users included) and every incident that has begun. */
  includeSessions?: boolean;
}

export interface TruthSession extends WireCallInfo {
  role: Role;
}

export interface TruthIncident {
  kind: IncidentKind;
  sid: string;
  uid: number;
  from_ts: number;
  to_ts: number;
  severity: number;
  to_network?: string;
}

export interface TruthCall extends WireCallListItem {
  /** Distinct uids that have joined so far. */
  user_count: number;
  /** Joins so far. */
  session_count: number;
  sessions?: TruthSession[];
  incidents?: TruthIncident[];
}

/** A truth query may span at most this many seconds (it generates every call in range). */
export const MAX_TRUTH_SPAN_SEC = 31 * 86400;

/**
 * Calls with created_ts in [startTs, endTs] that the list endpoint would show at `nowMs` (its data
 * delay has passed), newest first, in their state at `nowMs`. Lookback is not applied: truth about
 * older calls is still truth.
 */
export function truthCalls(
  world: SimulatedWorld,
  plan: PlanLimits,
  nowMs: number,
  query: TruthQuery,
): TruthCall[] {
  if (!(query.endTs >= query.startTs)) throw new RangeError('end_ts must not be before start_ts');
  if (query.endTs - query.startTs > MAX_TRUTH_SPAN_SEC) {
    throw new RangeError(`a truth query spans at most ${MAX_TRUTH_SPAN_SEC} seconds`);
  }
  const nowSec = Math.floor(nowMs / 1000);
  const visibleUntil = nowSec - plan.endpoints.callLists.dataDelaySec;
  const end = Math.min(query.endTs, visibleUntil);
  if (end < query.startTs) return [];
  return world.callsStartedBetween(query.startTs, end, query.cname).map((call) => {
    const { plan: callPlan } = world.plan(call);
    const joined = callPlan.sessions.filter((s) => s.joinTs <= nowSec);
    const truth: TruthCall = {
      ...listItemAt(call, nowSec),
      user_count: new Set(joined.map((s) => s.uid)).size,
      session_count: joined.length,
    };
    if (query.includeSessions === true) {
      truth.sessions = joined.map((s) => ({
        ...callInfoAt(s, call.channel.cname, nowSec),
        role: s.role,
      }));
      truth.incidents = callPlan.incidents
        .filter((i) => i.fromTs <= nowSec)
        .map((i) => ({
          kind: i.kind,
          sid: i.sid,
          uid: i.uid,
          from_ts: i.fromTs,
          to_ts: Math.min(i.toTs, nowSec),
          severity: i.severity,
          ...(i.toNetwork !== undefined ? { to_network: i.toNetwork } : {}),
        }));
    }
    return truth;
  });
}

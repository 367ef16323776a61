// How a call and its sessions look at a given "now": running calls and sessions report 0 as their
// end and finished=false, sessions not yet joined are absent. The wire shapes of the vendor page.

import type { WireCallInfo, WireCallListItem } from '../shared/api-wire.ts';
import type { SessionPlan } from './call-plan.ts';
import type { ScheduledCall } from './call-schedule.ts';

export function listItemAt(call: ScheduledCall, nowSec: number): WireCallListItem {
  const finished = call.destroyedTs <= nowSec;
  return {
    call_id: call.callId,
    cname: call.channel.cname,
    created_ts: call.createdTs,
    destroyed_ts: finished ? call.destroyedTs : 0,
    finished,
  };
}

/** The session's end as known at `nowSec` (its scheduled leave, or now while it runs). */
export function knownLeaveTs(session: SessionPlan, nowSec: number): number {
  return Math.min(session.leaveTs, nowSec);
}

export function callInfoAt(session: SessionPlan, cname: string, nowSec: number): WireCallInfo {
  const finished = session.leaveTs <= nowSec;
  return {
    sid: session.sid,
    cname,
    uid: session.uid,
    network: session.network,
    platform: session.platform,
    speaker: session.speaker,
    sdk_version: session.sdkVersion,
    device_type: session.deviceType,
    join_ts: session.joinTs,
    leave_ts: finished ? session.leaveTs : 0,
    finished,
  };
}

// How the agent left each call opened this session: the charts' cursor, the users charted and the
// issue chosen, so coming back to a call shows the same moment (and a report takes its time, not
// the call's start). Memory only: a restart starts afresh.

import type { QualityIssue } from '../../../shared/archive-types.ts';

export interface CallView {
  /** The charts' cursor (Unix s), or null when it was never placed. */
  cursorTs: number | null;
  selected: number[];
  /** issueKey of the chosen issue. */
  issue: string | null;
}

/** Calls remembered at most; the least recently left ones are forgotten first. */
const MAX_CALLS = 200;
const views = new Map<string, CallView>();

export const issueKey = (issue: QualityIssue): string =>
  `${issue.uid}:${issue.peerUid}:${issue.mid}:${issue.fromTs}`;

export function rememberCallView(callId: string, view: CallView): void {
  views.delete(callId);
  views.set(callId, view);
  if (views.size > MAX_CALLS) views.delete(views.keys().next().value!);
}

export function rememberedCallView(callId: string): CallView | undefined {
  return views.get(callId);
}

// The hand-over from a call to the feedback composer: "Report issue" in the call detail stores a
// draft here and switches to the Feedback screen; the composer reads `reportDraft.current`
// (pre-filling channel, teacher uid and the time of the problem) and calls `take()` once used.

import { appState } from './app-state.svelte.ts';

export interface ReportDraft {
  /** Channel name of the call. */
  cname: string;
  /** The uid guessed as the teacher, or null when no guess was possible. */
  teacherUid: number | null;
  /** Unix seconds of the problem (the charts' cursor, else the call's start). */
  ts: number | null;
  /** The archived call the report is about. */
  callId?: string;
  /** Set when the draft was made, so the composer can tell a new draft from one it already used. */
  createdAtMs: number;
}

class ReportDraftStore {
  current = $state<ReportDraft | null>(null);

  /** The composer takes the draft (and clears it) when it has filled its fields. */
  take(): ReportDraft | null {
    const draft = this.current;
    this.current = null;
    return draft;
  }
}

export const reportDraft = new ReportDraftStore();

/** Opens the Feedback screen with the composer pre-filled from a call. */
export function startReport(draft: Omit<ReportDraft, 'createdAtMs'>): void {
  reportDraft.current = { ...draft, createdAtMs: Date.now() };
  appState.screen = 'feedback';
}

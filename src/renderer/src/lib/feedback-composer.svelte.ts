// The composer's draft, kept outside the component so that leaving the Feedback screen (or a
// failed submit) loses nothing: the fields as typed, which fields were visited, and the last
// outcome. Filled from a call (report-draft) or from a refused report the agent wants to fix.

import type { ErrorData } from '../../../shared/errors.ts';
import type { FeedbackReport } from '../../../shared/feedback.ts';
import {
  EMPTY_DRAFT,
  checkDraft,
  fieldErrorsOf,
  toLocalInputSec,
  type FeedbackDraftFields,
  type FeedbackField,
  type FieldErrors,
} from './feedback-form.ts';
import { feedbackOutbox } from './feedback-outbox.svelte.ts';
import type { ReportDraft } from './report-draft.svelte.ts';

class FeedbackComposerStore {
  fields = $state<FeedbackDraftFields>({ ...EMPTY_DRAFT });
  /** Fields the agent has left once: their messages show from then on. */
  visited = $state<FeedbackField[]>([]);
  /** After a submit attempt every field's message shows. */
  attempted = $state(false);
  submitting = $state(false);
  /** Errors main reported for fields (its own validation), until the field changes. */
  serverErrors = $state<FieldErrors>({});
  error = $state<ErrorData | null>(null);
  /** The channel the draft was pre-filled from, for the "pre-filled from" note. */
  prefilledFrom = $state<string | null>(null);
  /** Id of the report filed last (cleared when the agent types again). */
  filedId = $state<number | null>(null);

  checked = $derived(checkDraft(this.fields));

  /** The message key shown next to a field, or undefined. */
  errorOf(field: FeedbackField): FieldErrors[FeedbackField] {
    const server = this.serverErrors[field];
    if (server) return server;
    if (this.checked.ok) return undefined;
    if (!this.attempted && !this.visited.includes(field)) return undefined;
    return this.checked.errors[field];
  }

  visit(field: FeedbackField): void {
    if (!this.visited.includes(field)) this.visited = [...this.visited, field];
  }

  /** Called when a field's value changes. */
  edited(field: FeedbackField): void {
    this.filedId = null;
    if (this.serverErrors[field]) {
      const next = { ...this.serverErrors };
      delete next[field];
      this.serverErrors = next;
    }
    // A channel other than the call's is no longer about that call.
    if (
      field === 'channel' &&
      this.prefilledFrom !== null &&
      this.fields.channel !== this.prefilledFrom
    ) {
      this.fields.callId = null;
      this.prefilledFrom = null;
    }
  }

  /** Pre-fills the call's fields; what the agent wrote (type, comments) stays. */
  fillFromCall(draft: ReportDraft): void {
    this.fields = {
      ...this.fields,
      channel: draft.cname,
      teacherUid: draft.teacherUid === null ? '' : String(draft.teacherUid),
      actingUid: '',
      problemTime: draft.ts === null ? '' : toLocalInputSec(draft.ts),
      callId: draft.callId ?? null,
    };
    this.prefilledFrom = draft.cname;
    this.#fresh();
  }

  /** A refused (or unconfirmed) report back in the composer, to fix and file again. */
  fillFromReport(report: FeedbackReport): void {
    this.fields = {
      channel: report.channel,
      teacherUid: String(report.teacherUid),
      actingUid: report.actingUid === null ? '' : String(report.actingUid),
      problemTime: report.problemTs === null ? '' : toLocalInputSec(report.problemTs),
      comments: report.comments ?? '',
      type: report.type,
      callId: report.callId,
    };
    this.prefilledFrom = report.callId === null ? null : report.channel;
    this.#fresh();
  }

  clear(): void {
    this.fields = { ...EMPTY_DRAFT };
    this.prefilledFrom = null;
    this.#fresh();
  }

  #fresh(): void {
    this.visited = [];
    this.attempted = false;
    this.serverErrors = {};
    this.error = null;
    this.filedId = null;
  }

  /**
   * Files the draft: true when it is in the outbox (the form is cleared), false when a field
   * needs attention or main refused it (the draft stays as typed).
   */
  async submit(): Promise<boolean> {
    this.attempted = true;
    this.error = null;
    const checked = checkDraft(this.fields);
    if (!checked.ok || this.submitting) return false;
    this.submitting = true;
    const result = await feedbackOutbox.submit(checked.form);
    this.submitting = false;
    if (!result.ok) {
      const fields = result.error.details?.fields;
      const fieldErrors = Array.isArray(fields) ? fieldErrorsOf(fields.map(String)) : {};
      this.serverErrors = fieldErrors;
      if (Object.keys(fieldErrors).length === 0) this.error = result.error;
      return false;
    }
    this.clear();
    this.filedId = result.value.id;
    return true;
  }
}

export const feedbackComposer = new FeedbackComposerStore();

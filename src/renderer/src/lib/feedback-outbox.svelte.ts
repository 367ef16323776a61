// The outbox as the renderer sees it: the reports (newest first), the counts the status bar shows,
// kept live by feedback.changed; and the agent's actions on a report (submit, resend, discard).
// Delivery itself (retries, what counts as unconfirmed) is main's business.

import type { ErrorCode, ErrorData } from '../../../shared/errors.ts';
import type {
  FeedbackChanged,
  FeedbackCounts,
  FeedbackForm,
  FeedbackReport,
} from '../../../shared/feedback.ts';
import type { Outcome } from '../../../shared/contract.ts';
import { crystal } from './crystal.ts';
import { networkState } from './network-state.svelte.ts';

const LIST_LIMIT = 200;

/** A queued report that waits for its profile's credentials rather than for the network. */
export const CREDENTIAL_CODES: readonly string[] = ['AUTH_MISSING', 'KEYCHAIN_UNAVAILABLE'];

export function waitsForCredentials(report: FeedbackReport): boolean {
  return report.status === 'queued' && CREDENTIAL_CODES.includes(report.lastError?.code ?? '');
}

/** Deliveries before this (an earlier run's) say nothing about the network now. */
const SESSION_START_MS = Date.now();

const EMPTY_COUNTS: FeedbackCounts = { queued: 0, sending: 0, sent: 0, unconfirmed: 0, failed: 0 };

class FeedbackOutboxStore {
  reports = $state<FeedbackReport[]>([]);
  counts = $state<FeedbackCounts>({ ...EMPTY_COUNTS });
  /** queued + sending + unconfirmed + failed: what the status bar counts. */
  waiting = $derived(
    this.counts.queued + this.counts.sending + this.counts.unconfirmed + this.counts.failed,
  );
  /** Reports only the agent can move on (unconfirmed, refused). */
  needDecision = $derived(this.counts.unconfirmed + this.counts.failed);
  loaded = $state(false);
  error = $state<ErrorData | null>(null);
  /** Ids with an action in flight (buttons disabled meanwhile). */
  busy = $state<number[]>([]);
  #subscribed = false;
  #generation = 0;
  /** The delivery attempt last told to networkState ("id:updatedAt"). */
  #networkNote = '';

  /** Reads the list (idempotent; subscribes to feedback.changed once). */
  async load(): Promise<void> {
    if (!this.#subscribed) {
      this.#subscribed = true;
      crystal.on('feedback.changed', (change) => this.#changed(change));
    }
    await this.#refresh();
  }

  async #refresh(): Promise<void> {
    const generation = ++this.#generation;
    const result = await crystal.feedback.list({ limit: LIST_LIMIT });
    if (generation !== this.#generation) return;
    this.loaded = true;
    if (!result.ok) return void (this.error = result.error);
    this.error = null;
    this.reports = result.value.reports;
    this.counts = result.value.counts;
    this.#noteNetwork();
  }

  /** The newest delivery attempt of this session tells whether the API is reachable. */
  #noteNetwork(): void {
    let newest: FeedbackReport | undefined;
    for (const report of this.reports) {
      if (report.attempts === 0 || report.updatedAt < SESSION_START_MS) continue;
      if (!newest || report.updatedAt > newest.updatedAt) newest = report;
    }
    if (!newest) return;
    const note = `${newest.id}:${newest.updatedAt}`;
    if (note === this.#networkNote) return;
    this.#networkNote = note;
    if (newest.status === 'sent') networkState.saw(null);
    else if (newest.lastError) networkState.sawFailure(newest.lastError.code as ErrorCode);
  }

  #changed(change: FeedbackChanged): void {
    this.counts = change.counts;
    void this.#refresh();
  }

  /** Files a report; on success it is in the list at once (the event refreshes it after). */
  async submit(form: FeedbackForm): Promise<Outcome<FeedbackReport>> {
    const result = await crystal.feedback.submit(form);
    if (result.ok) this.#upsert(result.value);
    return result;
  }

  async resend(id: number): Promise<ErrorData | null> {
    return this.#act(id, async () => {
      const result = await crystal.feedback.resend({ id });
      if (result.ok) this.#upsert(result.value);
      return result.ok ? null : result.error;
    });
  }

  async discard(id: number): Promise<ErrorData | null> {
    return this.#act(id, async () => {
      const result = await crystal.feedback.discard({ id });
      if (!result.ok) return result.error;
      this.reports = this.reports.filter((r) => r.id !== id);
      this.counts = result.value;
      return null;
    });
  }

  async #act(id: number, action: () => Promise<ErrorData | null>): Promise<ErrorData | null> {
    this.busy = [...this.busy, id];
    try {
      return await action();
    } finally {
      this.busy = this.busy.filter((b) => b !== id);
    }
  }

  /** Adds or updates a report, unless the list already holds a newer state of it (an event won). */
  #upsert(report: FeedbackReport): void {
    const known = this.reports.find((r) => r.id === report.id);
    if (known && known.updatedAt >= report.updatedAt) return;
    const others = this.reports.filter((r) => r.id !== report.id);
    this.reports = [report, ...others].sort((a, b) => b.id - a.id);
  }
}

export const feedbackOutbox = new FeedbackOutboxStore();

// Shared reactive state of sync jobs: the job shown in the sync panel (latest), its progress
// (sync.progress events), and starting / cancelling one.

import type { ErrorData } from '../../../shared/errors.ts';
import type { SyncJobStatus } from '../../../shared/sync-types.ts';
import { crystal } from './crystal.ts';
import { networkState } from './network-state.svelte.ts';

export const ACTIVE_SYNC_STATES: readonly string[] = ['running', 'waiting'];

class SyncStore {
  job = $state<SyncJobStatus | null>(null);
  error = $state<ErrorData | null>(null);
  starting = $state(false);
  /** The sync form's choices, kept while the agent moves between screens. */
  form = $state<{ range: string; budget: number | null }>({ range: '1h', budget: null });
  /** Bumped whenever a job commits new data, so views can refresh (debounced by them). */
  revision = $state(0);
  active = $derived(this.job !== null && ACTIVE_SYNC_STATES.includes(this.job.state));
  #subscribed = false;

  async load(): Promise<void> {
    if (!this.#subscribed) {
      this.#subscribed = true;
      crystal.on('sync.progress', (status) => this.#progress(status));
    }
    const result = await crystal.sync.status({ limit: 1 });
    if (result.ok) this.job = result.value[0] ?? null;
  }

  #progress(status: SyncJobStatus): void {
    if (this.job !== null && status.jobId < this.job.jobId) return;
    const before = this.job;
    this.job = status;
    if (
      before?.jobId !== status.jobId ||
      before.done !== status.done ||
      before.phase !== status.phase ||
      before.state !== status.state
    ) {
      this.revision++;
    }
    networkState.saw(status.error?.code ?? null);
  }

  async start(args: {
    fromTs: number;
    toTs: number;
    cname?: string;
    maxDetailsRequests?: number;
  }): Promise<void> {
    this.starting = true;
    this.error = null;
    const result = await crystal.sync.start(args);
    this.starting = false;
    if (!result.ok) {
      this.error = result.error;
      networkState.saw(result.error.code);
      return;
    }
    this.job = result.value;
    this.revision++;
  }

  async cancel(): Promise<void> {
    if (!this.job) return;
    const result = await crystal.sync.cancel({ jobId: this.job.jobId });
    if (result.ok) this.job = result.value;
    else this.error = result.error;
  }

  /** Forget the job shown (another profile became active). */
  reset(): void {
    this.job = null;
    this.error = null;
  }
}

export const syncStore = new SyncStore();

// Shared reactive state of "Fetch usage" (usage.refresh): busy while it runs, its last outcome
// (kept while the agent moves between screens), and a revision that tells views to re-read usage.

import type { UsageRefreshResult } from '../../../shared/archive-types.ts';
import type { ErrorData } from '../../../shared/errors.ts';
import { crystal } from './crystal.ts';
import { networkState } from './network-state.svelte.ts';

class UsageRefreshState {
  busy = $state(false);
  result = $state<UsageRefreshResult | null>(null);
  error = $state<ErrorData | null>(null);
  /** Bumped when days were added. */
  revision = $state(0);

  async run(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    const outcome = await crystal.usage.refresh({});
    this.busy = false;
    if (!outcome.ok) {
      networkState.saw(outcome.error.code);
      this.result = null;
      this.error = outcome.error;
      return;
    }
    // Only an answer proves the API reachable: a refresh that sent nothing says nothing.
    if (outcome.value.requests > 0) networkState.saw(null);
    this.result = outcome.value;
    if (outcome.value.daysAdded > 0) this.revision++;
  }
}

export const usageRefresh = new UsageRefreshState();

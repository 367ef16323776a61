// Shared reactive state of the active account's API quota (quota.state, then quota.changed).

import type { ErrorData } from '../../../shared/errors.ts';
import type { QuotaState } from '../../../shared/quota-types.ts';
import { crystal } from './crystal.ts';

class QuotaStore {
  state = $state<QuotaState | null>(null);
  error = $state<ErrorData | null>(null);
  #subscribed = false;

  async load(): Promise<void> {
    if (!this.#subscribed) {
      this.#subscribed = true;
      crystal.on('quota.changed', (next) => (this.state = next));
    }
    const result = await crystal.quota.state();
    if (result.ok) {
      this.state = result.value;
      this.error = null;
    } else {
      this.error = result.error;
    }
  }
}

export const quotaStore = new QuotaStore();

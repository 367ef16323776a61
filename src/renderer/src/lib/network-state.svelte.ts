// Whether the API looks reachable: the browser's online flag plus the last API outcome seen by
// sync (a NETWORK error marks it offline until a request gets through again). When the network
// comes back, the feedback outbox is told at once rather than after its backoff.

import { crystal } from './crystal.ts';

function networkReturned(): void {
  void crystal.feedback.retryNow();
}

class NetworkState {
  browserOnline = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  apiUnreachable = $state(false);
  offline = $derived(!this.browserOnline || this.apiUnreachable);

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('online', () => {
        this.browserOnline = true;
        networkReturned();
      });
      window.addEventListener('offline', () => (this.browserOnline = false));
    }
  }

  /** Report an API outcome: a NETWORK error, or any answer (which proves the API is reachable). */
  saw(code: string | null): void {
    if (code === 'NETWORK') this.apiUnreachable = true;
    else if (code === null || code !== 'TIMEOUT') {
      if (this.apiUnreachable) networkReturned();
      this.apiUnreachable = false;
    }
  }
}

export const networkState = new NetworkState();

// Whether the API looks reachable: the browser's online flag plus the last API outcome seen by
// sync, usage, the feedback outbox and opening a call (a NETWORK error marks it offline until a
// request gets through again). When the network comes back, the feedback outbox is told at once
// rather than after its backoff. The status bar shows it on every screen.

import type { ErrorCode } from '../../../shared/errors.ts';
import { crystal } from './crystal.ts';

/** Failures that prove the API answered (so it is reachable), unlike local refusals. */
const ANSWERED: readonly ErrorCode[] = [
  'AUTH_REJECTED',
  'RATE_LIMITED',
  'SERVER',
  'MALFORMED_RESPONSE',
];

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

  /**
   * Report a failure of a request that may not have reached the API (opening a call, sending a
   * report): NETWORK marks it unreachable, an answer from the API reachable, the rest says
   * nothing about the network (a local refusal, a timeout).
   */
  sawFailure(code: ErrorCode): void {
    if (code === 'NETWORK' || ANSWERED.includes(code)) this.saw(code);
  }
}

export const networkState = new NetworkState();

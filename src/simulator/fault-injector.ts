// Decides, per API request, which injected faults hit it. Draws from a seeded stream (the same
// number of draws per request whatever the outcome), so a seed replays the same fault sequence.

import { createRandom, hash32 } from './prng.ts';
import type { ResolvedFaults } from './simulator-options.ts';

export interface FaultDecision {
  dropBeforeBody: boolean;
  error500: boolean;
  dropAfterProcessing: boolean;
  truncated: boolean;
  malformed: boolean;
  /** Independent of the others: delays whatever answer is sent. */
  slow: boolean;
}

export interface FaultInjector {
  next(): FaultDecision;
}

/**
 * At most one of the exclusive faults applies, in this precedence: drop before the body, 500,
 * drop after processing, truncated, malformed. `slow` may come on top of any answer.
 */
export function createFaultInjector(seed: number, faults: ResolvedFaults): FaultInjector {
  const rng = createRandom(hash32(seed, 0x6661756c));
  return {
    next() {
      const draws = [rng.next(), rng.next(), rng.next(), rng.next(), rng.next(), rng.next()];
      const [a = 1, b = 1, c = 1, d = 1, e = 1, f = 1] = draws;
      const dropBeforeBody = a < faults.dropBeforeBody;
      const error500 = !dropBeforeBody && b < faults.error500;
      const exclusive = dropBeforeBody || error500;
      const dropAfterProcessing = !exclusive && c < faults.dropAfterProcessing;
      const truncated = !exclusive && !dropAfterProcessing && d < faults.truncated;
      const malformed = !exclusive && !dropAfterProcessing && !truncated && e < faults.malformed;
      return {
        dropBeforeBody,
        error500,
        dropAfterProcessing,
        truncated,
        malformed,
        slow: !dropBeforeBody && f < faults.slow,
      };
    },
  };
}

// How much of a call the archive holds, in the words the list shows: archived in full (and, once
// older than the API keeps, kept after the API forgot it), partly (still running), listed only
// (details can still be fetched), or listed only and older than the API keeps (the details are
// gone for good).

import { planLimits } from '../../../shared/api-limits.ts';
import type { CallSummary } from '../../../shared/archive-types.ts';

export type ArchiveStatus = 'full' | 'kept' | 'partial' | 'listed' | 'expired';

export function archiveStatus(
  call: CallSummary,
  plan: string | undefined,
  nowSec: number,
): ArchiveStatus {
  const lookback = planLimits(plan).endpoints.callDetails.lookbackSec;
  const end = call.destroyedTs > 0 ? call.destroyedTs : nowSec;
  const forgotten = lookback !== null && end < nowSec - lookback;
  if (call.archive === 'full') return forgotten ? 'kept' : 'full';
  return forgotten ? 'expired' : call.archive;
}

/** Seconds the call lasted (so far, while it runs). */
export function callDuration(call: CallSummary, nowSec: number): number {
  return (call.destroyedTs > 0 ? call.destroyedTs : nowSec) - call.createdTs;
}

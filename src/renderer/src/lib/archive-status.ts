// How much of a call the archive holds, in the words the list shows: archived in full, partly
// (still running), listed only (details can still be fetched), or listed only and older than the
// API keeps (the details are gone for good).

import { planLimits } from '../../../shared/api-limits.ts';
import type { CallSummary } from '../../../shared/archive-types.ts';

export type ArchiveStatus = 'full' | 'partial' | 'listed' | 'expired';

export function archiveStatus(
  call: CallSummary,
  plan: string | undefined,
  nowSec: number,
): ArchiveStatus {
  if (call.archive === 'full') return 'full';
  const lookback = planLimits(plan).endpoints.callDetails.lookbackSec;
  const end = call.destroyedTs > 0 ? call.destroyedTs : nowSec;
  if (lookback !== null && end < nowSec - lookback) return 'expired';
  return call.archive;
}

/** Seconds the call lasted (so far, while it runs). */
export function callDuration(call: CallSummary, nowSec: number): number {
  return (call.destroyedTs > 0 ? call.destroyedTs : nowSec) - call.createdTs;
}

import { describe, expect, it } from 'vitest';
import { BETA_PLAN } from '../../../shared/api-limits.ts';
import type { CallSummary } from '../../../shared/archive-types.ts';
import { archiveStatus } from './archive-status.ts';

const NOW = 1_800_000_000;
const LOOKBACK = BETA_PLAN.endpoints.callDetails.lookbackSec!;

function call(archive: CallSummary['archive'], endedSecAgo: number | null): CallSummary {
  const destroyedTs = endedSecAgo === null ? 0 : NOW - endedSecAgo;
  return {
    appid: 'app',
    callId: 'c1',
    cname: 'room',
    createdTs: (endedSecAgo === null ? NOW : destroyedTs) - 1800,
    destroyedTs,
    finished: endedSecAgo !== null,
    archive,
    userCount: archive === 'listed' ? 0 : 3,
    issueCount: 0,
    listedAtMs: 0,
    detailsAtMs: null,
  };
}

describe('archive status of a call row', () => {
  it('says a call archived in full is kept after the API forgot it, once older than the API keeps', () => {
    expect(archiveStatus(call('full', 3600), 'beta', NOW)).toBe('full');
    expect(archiveStatus(call('full', LOOKBACK - 1), 'beta', NOW)).toBe('full');
    expect(archiveStatus(call('full', LOOKBACK + 1), 'beta', NOW)).toBe('kept');
    expect(archiveStatus(call('full', 30 * 86_400), 'beta', NOW)).toBe('kept');
  });

  it('says a listed-only call older than the API keeps has lost its details for good', () => {
    expect(archiveStatus(call('listed', 3600), 'beta', NOW)).toBe('listed');
    expect(archiveStatus(call('listed', LOOKBACK + 1), 'beta', NOW)).toBe('expired');
  });

  it('keeps a running call partly archived, whatever its start', () => {
    expect(archiveStatus(call('partial', null), 'beta', NOW)).toBe('partial');
    const longRunning = { ...call('partial', null), createdTs: NOW - LOOKBACK - 86_400 };
    expect(archiveStatus(longRunning, 'beta', NOW)).toBe('partial');
  });
});

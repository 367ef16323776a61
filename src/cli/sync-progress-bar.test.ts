import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SyncJobStatus } from '../shared/sync-types.ts';
import { createSyncProgressBar } from './sync-progress-bar.ts';

const NOW = Date.UTC(2026, 2, 10, 12);

function status(over: Partial<SyncJobStatus>): SyncJobStatus {
  return {
    jobId: 1,
    appid: 'app',
    profile: null,
    fromTs: 0,
    toTs: 1,
    cname: null,
    origin: 'manual',
    state: 'running',
    phase: 'details',
    done: 0,
    total: 4,
    requests: { list: 10, details: 0, usage: 1 },
    plan: {
      callsListed: 9,
      callsFull: 0,
      detailsRequestsNeeded: 9,
      detailsRequestsAllowed: 4,
      callsLeftListedOnly: 9,
    },
    etaMs: null,
    resumeAtMs: null,
    notes: [],
    error: null,
    createdAtMs: NOW,
    updatedAtMs: NOW,
    ...over,
  };
}

describe('sync progress bar', () => {
  it('shows the job’s own ETA and ends at 100% of the calls the budget reaches', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    const bar = createSyncProgressBar(stream as unknown as NodeJS.WriteStream, () => NOW);
    bar.update(status({ done: 1, etaMs: NOW + 42_000 }));
    bar.update(status({ done: 4, requests: { list: 10, details: 4, usage: 1 }, etaMs: NOW }));
    bar.stop();
    // Control sequences aside, what the terminal shows.
    const shown = text.replace(
      new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g'),
      '',
    );
    expect(shown).toContain('~42s left');
    expect(shown).toContain('100% | 10 list, 4 details requests');
    expect(shown).not.toMatch(/\{eta/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  parseSyncNotes,
  syncNote,
  syncNoteEnglish,
  type SyncNote,
} from '../../shared/sync-notes.ts';
import { addNotes } from './sync-job-notes.ts';

describe('sync job notes', () => {
  it('keeps one note per family, the newest, and never the same note twice', () => {
    const job = { notes: [] as SyncNote[] };
    addNotes(job, syncNote('dataDelay', { delaySec: 20 }));
    addNotes(job, syncNote('dataDelay', { delaySec: 20 }));
    addNotes(job, syncNote('detailsQuotaLater', { count: 4 }));
    addNotes(job, syncNote('listQuota', {}));
    addNotes(job, syncNote('runningCalls', { count: 2 }));
    addNotes(job, syncNote('runningCalls', { count: 1 }));
    expect(job.notes.map((n) => n.code)).toEqual(['dataDelay', 'listQuota', 'runningCalls']);
    expect(job.notes[2]?.params).toEqual({ count: 1 });
  });

  it('replaces a crowded-seconds summary and its seconds together', () => {
    const job = { notes: [] as SyncNote[] };
    addNotes(
      job,
      syncNote('crowdedSeconds', { count: 2, maxCalls: 10 }),
      syncNote('crowdedSecond', { atTs: 100, found: 12 }),
      syncNote('crowdedSecond', { atTs: 200, found: 11 }),
    );
    addNotes(
      job,
      syncNote('crowdedSeconds', { count: 1, maxCalls: 10 }),
      syncNote('crowdedSecond', { atTs: 100, found: 13 }),
    );
    expect(job.notes).toEqual([
      syncNote('crowdedSeconds', { count: 1, maxCalls: 10 }),
      syncNote('crowdedSecond', { atTs: 100, found: 13 }),
    ]);
  });

  it('reads notes stored as English sentences by older versions, and replaces them by family', () => {
    const stored = JSON.stringify([
      'Data delay: calls that started less than 20 s before the sync are not listed yet; a later sync finds them.',
      'Quota: the daily list quota available to background sync is used up; the sync continues later.',
      { code: 'runningCalls', params: { count: 3 } },
      { code: 'no-such-code', params: {} },
      42,
    ]);
    const job = { notes: parseSyncNotes(stored) };
    expect(job.notes.map((n) => n.code)).toEqual(['legacy', 'legacy', 'runningCalls']);
    expect(syncNoteEnglish(job.notes[0]!)).toMatch(
      /^Data delay: calls that started less than 20 s/,
    );
    addNotes(job, syncNote('dataDelay', { delaySec: 20 }));
    addNotes(job, syncNote('detailsQuotaLater', { count: 5 }));
    expect(job.notes.map((n) => n.code)).toEqual([
      'runningCalls',
      'dataDelay',
      'detailsQuotaLater',
    ]);
    expect(parseSyncNotes('not json')).toEqual([]);
  });

  it('words notes in English for the CLI, times in ISO 8601', () => {
    expect(syncNoteEnglish(syncNote('lookback', { days: 3, beforeTs: 1_790_000_000 }))).toBe(
      'Lookback: the API keeps calls for 3 days only. Calls that started before 2026-09-21T14:13:20.000Z were not requested; they are shown from the archive only.',
    );
    expect(syncNoteEnglish(syncNote('crowdedSecond', { atTs: 1_790_000_000, found: 12 }))).toBe(
      'Crowded second 2026-09-21T14:13:20.000Z: 12 call(s) found.',
    );
  });
});

// Keeps a sync job's notes without repeats: a note replaces the older notes of its family (a new
// quota note replaces the last one), and an identical note is never added twice. Wording is not
// here: notes are codes with parameters (src/shared/sync-notes.ts).

import { sameSyncNote, type SyncNote, type SyncNoteCode } from '../../shared/sync-notes.ts';

/**
 * Codes that say the same thing about a job, newest wins. Each family also names the prefix its
 * English sentence had when older versions stored notes as text, so a resumed old job's note is
 * replaced too.
 */
const FAMILIES: ReadonlyArray<{ codes: readonly SyncNoteCode[]; legacyPrefix: string }> = [
  { codes: ['lookback'], legacyPrefix: 'Lookback:' },
  { codes: ['dataDelay'], legacyPrefix: 'Data delay:' },
  { codes: ['crowdedSeconds', 'crowdedSecond'], legacyPrefix: 'In ' },
  { codes: ['usageFailed'], legacyPrefix: 'Usage:' },
  { codes: ['detailsBudget'], legacyPrefix: 'Details budget:' },
  // New since notes became codes: no older English note to replace (the prefix matches none).
  { codes: ['detailsAgedOut'], legacyPrefix: '\u0000' },
  { codes: ['detailsFailed'], legacyPrefix: 'Details of ' },
  { codes: ['detailsQuota', 'detailsQuotaLater', 'listQuota'], legacyPrefix: 'Quota:' },
  { codes: ['runningCalls'], legacyPrefix: 'Running calls:' },
];

function familyOf(code: SyncNoteCode): (typeof FAMILIES)[number] | undefined {
  return FAMILIES.find((f) => f.codes.includes(code));
}

/** Removes the notes of the family of `code` (old English ones included). */
export function dropNoteFamily(notes: readonly SyncNote[], code: SyncNoteCode): SyncNote[] {
  const family = familyOf(code);
  if (family === undefined) return notes.filter((n) => n.code !== code);
  return notes.filter((n) =>
    n.code === 'legacy'
      ? !n.params.text.startsWith(family.legacyPrefix)
      : !family.codes.includes(n.code),
  );
}

/**
 * Adds notes about one thing (one family) to a job: the family's older notes go first (a note
 * about the current state replaces the one about the previous state), then each note unless an
 * identical one is there.
 */
export function addNotes(job: { notes: SyncNote[] }, ...notes: SyncNote[]): void {
  const first = notes[0];
  if (first === undefined) return;
  job.notes = dropNoteFamily(job.notes, first.code);
  for (const note of notes) {
    if (!job.notes.some((n) => sameSyncNote(n, note))) job.notes.push(note);
  }
}

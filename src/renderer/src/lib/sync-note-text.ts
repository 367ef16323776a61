// A sync job's or a call's note in the UI language: its code picks the catalogue entry, times
// read in local time, and a failed request's reason in the words the app uses for its error code.

import { syncNoteDisplayParams, type SyncNote } from '../../../shared/sync-notes.ts';
import { t } from '../i18n/i18n.svelte.ts';
import { errorText } from './error-text.ts';
import { formatDateTime } from './time-format.ts';

export function syncNoteText(note: SyncNote): string {
  const params = syncNoteDisplayParams(note, formatDateTime);
  if (note.code === 'usageFailed') {
    params.reason = errorText({ code: note.params.errorCode, message: note.params.reason });
  }
  return t(`sync.note.${note.code}`, params);
}

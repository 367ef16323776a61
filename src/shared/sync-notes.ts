// Notes that sync jobs and archived calls carry (ranges served from the archive only, crowded
// seconds, quota, partial details) as a closed set of codes with parameters, so every process
// shows them in its own language. The English sentences live here (the CLI prints them and the
// renderer's English catalogue reuses them); other languages are the renderer's.

/** The parameters of each note code; names ending in `Ts` are Unix seconds. */
export interface SyncNoteParams {
  /** Calls before beforeTs are older than the API's lookback: served from the archive only. */
  lookback: { days: number; beforeTs: number };
  /** Calls younger than the data delay are not listed yet. */
  dataDelay: { delaySec: number };
  /** More calls than one list answer holds started in `count` seconds (one crowdedSecond each). */
  crowdedSeconds: { count: number; maxCalls: number };
  crowdedSecond: { atTs: number; found: number };
  /** Daily usage could not be fetched; errorCode and reason are the error's code and message. */
  usageFailed: { errorCode: string; reason: string };
  detailsBudget: { count: number };
  /** Calls whose details had aged out of the API's lookback before their turn came. */
  detailsAgedOut: { count: number };
  detailsFailed: { count: number };
  /** The background details quota is used up; the job resumes at resumeTs. */
  detailsQuota: { count: number; resumeTs: number };
  detailsQuotaLater: { count: number };
  listQuota: Record<string, never>;
  runningCalls: { count: number };
  /** A call's details came in answers capped at maxUsers users (early joiners partly covered). */
  usersCapped: { maxUsers: number };
  /** A note stored as an English sentence by an older version. */
  legacy: { text: string };
}

export type SyncNoteCode = keyof SyncNoteParams;

export type SyncNote = {
  [C in SyncNoteCode]: { code: C; params: SyncNoteParams[C] };
}[SyncNoteCode];

/** The English text of every code; {name} is replaced by the parameter of that name. */
export const SYNC_NOTE_TEXT_EN = {
  lookback:
    'Lookback: the API keeps calls for {days} days only. Calls that started before {beforeTs} were not requested; they are shown from the archive only.',
  dataDelay:
    'Data delay: calls that started less than {delaySec} s before the sync are not listed yet; a later sync finds them.',
  crowdedSeconds:
    'In {count} second(s) more than {maxCalls} calls started at once, more than one list answer shows. They were looked up channel by channel among channels seen starting in such seconds; a call in another channel starting in exactly that second may be missing.',
  crowdedSecond: 'Crowded second {atTs}: {found} call(s) found.',
  usageFailed:
    'Usage: daily usage could not be fetched this time ({reason}); the next sync tries again.',
  detailsBudget:
    'Details budget: {count} call(s) stay listed-only because this sync may spend no more details requests (its cap, or the daily quota minus the reserve kept for interactive use).',
  detailsAgedOut:
    'Lookback: the details of {count} call(s) had passed out of what the API keeps before their turn came; they stay listed-only.',
  detailsFailed:
    'Details of {count} call(s) could not be fetched (network or server errors); a rerun tries them again.',
  detailsQuota:
    'Quota: the daily details quota available to background sync is used up (part is kept for calls you open). {count} call(s) stay listed-only for now; the sync continues after {resumeTs}.',
  detailsQuotaLater:
    'Quota: the daily details quota available to background sync is used up (part is kept for calls you open). {count} call(s) stay listed-only for now; the sync continues later.',
  listQuota:
    'Quota: the daily list quota available to background sync is used up; the sync continues later.',
  runningCalls:
    'Running calls: {count} call(s) were still running; run the same sync again later to archive them in full.',
  usersCapped:
    'The API lists at most {maxUsers} users per answer: users who joined early have figures only for the part of the call before the later joiners arrived.',
  legacy: '{text}',
} as const satisfies Record<SyncNoteCode, string>;

export const SYNC_NOTE_CODES = Object.keys(SYNC_NOTE_TEXT_EN) as SyncNoteCode[];

export function isSyncNoteCode(value: unknown): value is SyncNoteCode {
  return typeof value === 'string' && Object.hasOwn(SYNC_NOTE_TEXT_EN, value);
}

/** Builds a note; the parameters are checked against the code by the type. */
export function syncNote<C extends SyncNoteCode>(code: C, params: SyncNoteParams[C]): SyncNote {
  return { code, params } as SyncNote;
}

/**
 * A stored note as a SyncNote: notes from older versions are English strings and read as
 * `legacy` (shown as they were); anything else unreadable is dropped.
 */
export function readSyncNote(value: unknown): SyncNote | null {
  if (typeof value === 'string') return syncNote('legacy', { text: value });
  if (typeof value !== 'object' || value === null) return null;
  const { code, params } = value as { code?: unknown; params?: unknown };
  if (!isSyncNoteCode(code) || typeof params !== 'object' || params === null) return null;
  const clean: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(params)) {
    if (typeof v === 'string' || typeof v === 'number') clean[name] = v;
  }
  return { code, params: clean } as SyncNote;
}

/** Reads a JSON column of notes (an array of notes, old strings included). */
export function parseSyncNotes(text: string | null): SyncNote[] {
  if (text === null) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.map(readSyncNote).filter((n): n is SyncNote => n !== null);
  } catch {
    return [];
  }
}

/** Same code and same parameters (the engine keeps one of each). */
export function sameSyncNote(a: SyncNote, b: SyncNote): boolean {
  if (a.code !== b.code) return false;
  const pa: Record<string, unknown> = a.params;
  const pb: Record<string, unknown> = b.params;
  const names = Object.keys(pa);
  return names.length === Object.keys(pb).length && names.every((n) => pa[n] === pb[n]);
}

/** The parameters ready to fill a template: times (names ending in Ts) through formatTime. */
export function syncNoteDisplayParams(
  note: SyncNote,
  formatTime: (unixSec: number) => string,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(note.params as Record<string, string | number>)) {
    out[name] = name.endsWith('Ts') && typeof value === 'number' ? formatTime(value) : value;
  }
  return out;
}

/** Fills {name} placeholders; an unknown one stays visible. */
export function fillTemplate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

const isoTime = (sec: number): string => new Date(sec * 1000).toISOString();

/** A note in English (the CLI's language), times in ISO 8601 UTC. */
export function syncNoteEnglish(note: SyncNote): string {
  return fillTemplate(SYNC_NOTE_TEXT_EN[note.code], syncNoteDisplayParams(note, isoTime));
}

// Dates, times and durations in the UI language (Intl), in the agent's local time zone.
// Inputs are Unix seconds unless a name ends in Ms.

import { i18n } from '../i18n/i18n.svelte.ts';

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(
  kind: 'dateTime' | 'shortDateTime' | 'time' | 'timeSec' | 'date' | 'day',
): Intl.DateTimeFormat {
  const language = i18n.language;
  const key = `${language}:${kind}`;
  let f = cache.get(key);
  if (f === undefined) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'dateTime'
        ? { dateStyle: 'medium', timeStyle: 'short' }
        : kind === 'shortDateTime'
          ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : kind === 'time'
            ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
            : kind === 'timeSec'
              ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
              : kind === 'date'
                ? { dateStyle: 'medium' }
                : { month: 'short', day: 'numeric', weekday: 'short', timeZone: 'UTC' };
    f = new Intl.DateTimeFormat(language, options);
    cache.set(key, f);
  }
  return f;
}

export const formatDateTime = (sec: number): string => formatter('dateTime').format(sec * 1000);
/** Month, day and time (no year): list rows. */
export const formatShortDateTime = (sec: number): string =>
  formatter('shortDateTime').format(sec * 1000);
export const formatTime = (sec: number): string => formatter('time').format(sec * 1000);
export const formatTimeSec = (sec: number): string => formatter('timeSec').format(sec * 1000);
export const formatDate = (sec: number): string => formatter('date').format(sec * 1000);
/** A UTC day (usage figures are per UTC day). */
export const formatUtcDay = (sec: number): string => formatter('day').format(sec * 1000);
export const formatDateTimeMs = (ms: number): string => formatter('dateTime').format(ms);
export const formatTimeMs = (ms: number): string => formatter('timeSec').format(ms);

/** "1:05:09" or "12:04" (minutes:seconds). */
export function formatDuration(totalSec: number): string {
  const sec = Math.max(0, Math.round(totalSec));
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Value for an <input type="datetime-local"> (local time, minutes). */
export function toLocalInput(sec: number): string {
  const d = new Date(sec * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Unix seconds from an <input type="datetime-local"> value, or null when empty/invalid. */
export function fromLocalInput(value: string): number | null {
  if (value === '') return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

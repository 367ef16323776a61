// How times appear in CSV cells: ISO-8601 in UTC (seconds precision unless the time has a
// fraction) next to the Unix seconds they came from.

export function isoFromUnix(ts: number): string {
  const iso = new Date(ts * 1000).toISOString();
  return Number.isInteger(ts) ? iso.replace('.000Z', 'Z') : iso;
}

/** A call or session still running has no end (the API reports 0). */
export function isoOrEmpty(ts: number): string {
  return ts > 0 ? isoFromUnix(ts) : '';
}

// The search flags `calls` and `export --kind calls` share (--query, --from/--to, --finished or
// --running, --platform, --issues, --call), and the archive scope (--appid, or --profile: that
// saved profile's App ID) every archive command takes. Reads the archive only, never the keychain.

import type { ParseArgsOptionsConfig } from 'node:util';
import { CallSearchSchema, type ParsedCallSearchQuery } from '../shared/archive-types.ts';
import { describeIssues } from '../main/core/schema-issues.ts';
import { createProfileStore, type Db } from '../main/store/index.ts';
import { UsageError } from './cli-connection.ts';
import { parseTimeRange } from './cli-time.ts';

export const SEARCH_FLAGS = {
  query: { type: 'string', short: 'q' },
  from: { type: 'string' },
  to: { type: 'string' },
  finished: { type: 'boolean' },
  running: { type: 'boolean' },
  platform: { type: 'string' },
  issues: { type: 'boolean' },
  call: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export const SEARCH_HELP = `  --query TEXT           part of a channel name (any length), a call id or a uid
  --from TIME, --to TIME start range: ISO 8601 (UTC unless an offset is given), now, -3d, -6h
  --finished | --running only finished / only running calls
  --platform NAME        a user on this platform (calls archived with details)
  --issues               only calls with quality issues
  --call ID              only this call`;

export const SCOPE_HELP = `  --appid APP            only this App ID (default: every App ID in the archive)
  --profile NAME         only the App ID of this profile saved in the app`;

export interface SearchFlagValues {
  query?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  finished?: boolean | undefined;
  running?: boolean | undefined;
  platform?: string | undefined;
  issues?: boolean | undefined;
  call?: string | undefined;
}

/** The App ID the flags scope to: --appid, or --profile's (by name or id); undefined: all. */
export function scopeAppid(
  values: { appid?: string | undefined; profile?: string | undefined },
  db: Db,
): string | undefined {
  if (values.profile === undefined) return values.appid;
  if (values.appid !== undefined) throw new UsageError('Use --profile or --appid, not both.');
  const saved = createProfileStore(db).list();
  const wanted = values.profile;
  const profile = saved.find((p) => p.name === wanted || p.id === wanted);
  if (profile === undefined) {
    const names = saved.map((p) => `"${p.name}"`);
    throw new UsageError(
      `There is no profile named "${wanted}".${names.length > 0 ? ` Saved profiles: ${names.join(', ')}.` : ' Add one in the app first.'}`,
    );
  }
  return profile.appid;
}

/** The search the flags ask for (paging fields left to the caller); UsageError when invalid. */
export function searchQueryOf(
  values: SearchFlagValues,
  extra: { appid: string | undefined; sort: 'newest' | 'oldest'; limit?: number | undefined },
  nowMs: number,
): ParsedCallSearchQuery {
  if (values.finished && values.running)
    throw new UsageError('Use --finished or --running, not both.');
  const parsed = CallSearchSchema.safeParse({
    appid: extra.appid,
    query: values.query,
    ...parseTimeRange(values, nowMs),
    finished: values.finished ? true : values.running ? false : undefined,
    platform: values.platform,
    hasIssues: values.issues ? true : undefined,
    callId: values.call,
    sort: extra.sort,
    limit: extra.limit,
  });
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error.issues));
  return parsed.data;
}

// The calls.* and usage.* contract methods over the archive: search and read scoped to the active
// profile's appid unless one is given; optionally fetch a call's missing details on open.

import type {
  CallDetail,
  CallSearchResult,
  ParsedCallSearchQuery,
  UsageDay,
} from '../../shared/archive-types.ts';
import { AppError } from '../../shared/errors.ts';
import { createCallArchiveStore } from '../store/call-archive-store.ts';
import { createCallSearch } from '../store/call-search.ts';
import type { Db } from '../store/database.ts';
import { createUsageStore } from '../store/usage-store.ts';

export interface CallArchiveServiceDeps {
  db: Db;
  /** The active profile's appid, or undefined (then every appid is searched). */
  activeAppid(): string | undefined;
  /** Fetches a call's missing details now (the sync engine of the profile using that appid). */
  fetchCall?(appid: string, callId: string): Promise<CallDetail>;
}

export interface CallGetArgs {
  appid?: string | undefined;
  callId: string;
  series: boolean;
  fetch: boolean;
}

export interface CallArchiveService {
  search(query: ParsedCallSearchQuery): CallSearchResult;
  get(args: CallGetArgs): Promise<CallDetail>;
  usageByDay(args: { appid?: string | undefined; fromTs: number; toTs: number }): UsageDay[];
}

export function createCallArchiveService(deps: CallArchiveServiceDeps): CallArchiveService {
  const calls = createCallArchiveStore(deps.db);
  const search = createCallSearch(deps.db);
  const usage = createUsageStore(deps.db);
  const scope = (appid: string | undefined): string | undefined => appid ?? deps.activeAppid();

  return {
    search: (query) => {
      const appid = scope(query.appid);
      return search.search(appid === undefined ? query : { ...query, appid });
    },
    async get({ appid, callId, series, fetch }) {
      const found =
        calls.getCall(scope(appid), callId, series) ?? calls.getCall(undefined, callId, series);
      if (found === undefined) {
        throw new AppError(
          'NOT_FOUND',
          `Call ${callId} is not in the archive. Sync the time it happened first.`,
        );
      }
      if (fetch && found.archive !== 'full' && deps.fetchCall !== undefined) {
        const detail = await deps.fetchCall(found.appid, callId);
        return series ? detail : { ...detail, series: [] };
      }
      return found;
    },
    usageByDay: ({ appid, fromTs, toTs }) => usage.read(scope(appid), fromTs, toTs),
  };
}

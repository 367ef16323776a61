// Test fixture for the exporters: a seeded simulator's calls in hostile-named channels, listed
// into a temp-dir archive from the simulator's ground truth, some with details fetched over
// loopback by the real sync engine. Used by tests only.

import { HOSTILE_CHANNEL_NAMES } from '../../simulator/index.ts';
import { startSimulatedApi, type SimulatedApi } from '../sync/sync-test-fixture.ts';
import { createSyncEngine } from '../sync/index.ts';
import { createCallArchiveStore, createCallSearch } from '../store/index.ts';
import type { CallDetail } from '../../shared/archive-types.ts';
import type { ExportSources } from './export-sources.ts';

export interface ExportArchive {
  api: SimulatedApi;
  sources: ExportSources;
  /** Calls listed into the archive, one per hostile channel name found. */
  listedIds: string[];
  /** Calls archived with their details, hostile channel names included. */
  detailed: CallDetail[];
  close(): Promise<void>;
}

/** Channels whose calls get details: quoting, line breaks and a formula in the channel name. */
export const DETAILED_CHANNELS = ['the "quoted" room, with comma', 'tab\there\r\nand crlf', '-2+3'];

export async function startExportArchive(): Promise<ExportArchive> {
  const api = await startSimulatedApi({ seed: 'export-tests', callsPerDay: 800 });
  const nowSec = Math.floor(Date.now() / 1000);
  const truth = api.sim.truth({ startTs: nowSec - 2 * 86400, endTs: nowSec });
  const picked = HOSTILE_CHANNEL_NAMES.map((name) =>
    truth.find((c) => c.cname === name && c.finished),
  ).filter((c) => c !== undefined);
  const archive = createCallArchiveStore(api.db);
  archive.recordListed(api.sim.appid, picked, Date.now());
  const engine = createSyncEngine({
    db: api.db,
    client: api.client,
    appid: api.sim.appid,
    plan: api.plan,
  });
  const wanted = picked.filter((c) => DETAILED_CHANNELS.includes(c.cname));
  const detailed: CallDetail[] = [];
  for (const call of wanted) {
    await engine.fetchCall(call.call_id);
    const detail = archive.getCall(api.sim.appid, call.call_id, true);
    if (detail) detailed.push(detail);
  }
  engine.close();
  const search = createCallSearch(api.db);
  return {
    api,
    sources: {
      searchCalls: (query) => search.search(query),
      getCall: ({ appid, callId }) => archive.getCall(appid, callId, true),
    },
    listedIds: picked.map((c) => c.call_id),
    detailed,
    close: () => api.close(),
  };
}

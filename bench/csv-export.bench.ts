// CSV export throughput and memory: 10^6 rows of each streaming kind written to a temp file.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallDetail, CallSummary } from '../src/shared/archive-types.ts';
import { METRICS } from '../src/shared/metrics.ts';
import { createExportService } from '../src/main/export/index.ts';
import type { ExportSources } from '../src/main/export/index.ts';

const ROWS = 1_000_000;

function callsSource(total: number): ExportSources['searchCalls'] {
  return (query) => {
    const start = Number(query.cursor ?? 0);
    const end = Math.min(total, start + query.limit);
    const calls: CallSummary[] = [];
    for (let i = start; i < end; i++) {
      calls.push({
        appid: 'bench',
        callId: `call-${i.toString(16).padStart(12, '0')}`,
        cname: i % 3 === 0 ? `数学课-${i}, "三年级"` : `room-${i}`,
        createdTs: 1_760_000_000 + i,
        destroyedTs: 1_760_002_400 + i,
        finished: true,
        archive: 'full',
        userCount: 1 + (i % 12),
        issueCount: i % 4,
        listedAtMs: 0,
        detailsAtMs: null,
      });
    }
    return {
      calls,
      total: start === 0 ? total : null,
      nextCursor: end < total ? String(end) : null,
    };
  };
}

function bigCall(points: number): CallDetail {
  const users = Array.from({ length: 10 }, (_, u) => ({
    sid: `sid-${u}`,
    uid: 1000 + u,
    network: 'WIFI',
    platform: 'Windows',
    speaker: true,
    sdkVersion: '4.2.0',
    deviceType: 'PC',
    joinTs: 1_760_000_000,
    leaveTs: 1_760_036_000,
    finished: true,
  }));
  const perSeries = 2000;
  const series = Array.from({ length: Math.ceil(points / perSeries) }, (_, k) => {
    const ts = new Float64Array(perSeries);
    const values = new Float32Array(perSeries);
    for (let i = 0; i < perSeries; i++) {
      ts[i] = 1_760_000_000 + i * 2;
      values[i] = Math.sin(i / 10) * 50 + 50.3;
    }
    return {
      sid: `sid-${k % 10}`,
      mid: METRICS[k % METRICS.length]!.mid,
      peerUid: k % 3 === 0 ? 0 : 1000 + ((k + 1) % 10),
      ts,
      values,
    };
  });
  return {
    appid: 'bench',
    callId: 'bench-call',
    cname: 'bench',
    createdTs: 1_760_000_000,
    destroyedTs: 1_760_036_000,
    finished: true,
    archive: 'full',
    userCount: 10,
    issueCount: 0,
    listedAtMs: 0,
    detailsAtMs: 0,
    users,
    issues: [],
    series,
    detailsFromTs: 1_760_000_000,
    detailsToTs: 1_760_036_000,
    notes: [],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'crystal-bench-csv-'));
try {
  const call = bigCall(ROWS);
  const exports = createExportService({
    sources: { searchCalls: callsSource(ROWS), getCall: () => call },
  });
  for (const kind of ['calls', 'metrics', 'report'] as const) {
    const path = join(dir, `${kind}.csv`);
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const started = performance.now();
    const { rows } = await exports.exportToFile(
      kind === 'calls' ? { kind, params: {} } : { kind, params: { callId: call.callId } },
      path,
      { onProgress: () => void (peakRss = Math.max(peakRss, process.memoryUsage().rss)) },
    );
    const seconds = (performance.now() - started) / 1000;
    const mb = statSync(path).size / 1024 / 1024;
    console.log(
      `${kind.padEnd(8)} ${rows.toLocaleString('en')} rows  ${mb.toFixed(1)} MB  ${seconds.toFixed(2)} s  ` +
        `${Math.round(rows / seconds).toLocaleString('en')} rows/s  ${(mb / seconds).toFixed(1)} MB/s  ` +
        `RSS growth ${((peakRss - rssBefore) / 1024 / 1024).toFixed(1)} MB`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

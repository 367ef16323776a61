import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../shared/archive-types.ts';
import { BETA_PLAN } from '../../shared/api-limits.ts';
import { metricInfo, METRICS } from '../../shared/metrics.ts';
import { QUALITY_THRESHOLDS } from '../../shared/quality-thresholds.ts';
import { HOSTILE_CHANNEL_NAMES } from '../../simulator/index.ts';
import { CALLS_HEADER } from './calls-csv.ts';
import { METRICS_HEADER } from './call-metrics-csv.ts';
import { REPORT_HEADER } from './call-report-csv.ts';
import { createExportService, type ExportService } from './export-jobs.ts';
import {
  DETAILED_CHANNELS,
  startExportArchive,
  type ExportArchive,
} from './export-test-archive.ts';

let archive: ExportArchive;
let exports: ExportService;
let dir: string;

beforeAll(async () => {
  archive = await startExportArchive();
  exports = createExportService({ sources: archive.sources });
  dir = mkdtempSync(join(tmpdir(), 'crystal-export-'));
}, 60_000);

afterAll(async () => {
  await archive?.close();
  rmSync(dir, { recursive: true, force: true });
});

const FORMULA_START = /^[=+\-@\t\r]/;

/** What a text cell must read back as: itself, or itself behind one quote when it could run. */
const asWritten = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

function readCsv(path: string): string[][] {
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString('utf8')).toContain('\r\n');
  return parse(bytes, { bom: true, relax_quotes: false }) as string[][];
}

/** The 95th percentile by nearest rank: the smallest value with 95% of them at or below it. */
function nearestRankP95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}

/**
 * Seconds a user's figure of a metric was beyond its quality threshold: each sample time with
 * any series (own, or from any peer) past the limit of the table's rule for that side counts one
 * sample interval; null when the table has no rule for the metric.
 */
function secondsBeyondThreshold(mid: number, series: readonly MetricSeries[]): number | null {
  const rules = QUALITY_THRESHOLDS.filter((rule) => rule.mids.includes(mid));
  if (rules.length === 0) return null;
  const badTimes = new Set<number>();
  for (const s of series) {
    const rule = rules.find((r) => r.scope === (s.peerUid === 0 ? 'own' : 'peer'));
    if (!rule) continue;
    s.values.forEach((value, i) => {
      const bad = rule.compare === 'above' ? value > rule.limit : value < rule.limit;
      if (bad) badTimes.add(s.ts[i]!);
    });
  }
  return badTimes.size * BETA_PLAN.sampleIntervalSec;
}

const iso = (ts: number) => new Date(ts * 1000).toISOString().replace('.000Z', 'Z');

describe('CSV exports read back with an independent parser', () => {
  it('keeps every hostile channel name of the calls export intact (quotes, commas, newlines, CJK, emoji, RTL)', async () => {
    const out = join(dir, 'calls.csv');
    const { rows } = await exports.exportToFile({ kind: 'calls', params: { sort: 'oldest' } }, out);
    const [header, ...data] = readCsv(out);
    expect(header).toEqual([...CALLS_HEADER]);
    expect(rows).toBe(archive.listedIds.length);
    expect(data).toHaveLength(archive.listedIds.length);
    expect(archive.listedIds.length).toBeGreaterThan(12);

    const search = await archive.sources.searchCalls({ sort: 'oldest', limit: 500 });
    const byId = new Map(search.calls.map((c) => [c.callId, c]));
    for (const row of data) {
      const call = byId.get(row[0]!);
      expect(call, row[0]).toBeDefined();
      if (!call) continue;
      expect(row).toEqual([
        call.callId,
        asWritten(call.cname),
        iso(call.createdTs),
        String(call.createdTs),
        iso(call.destroyedTs),
        String(call.destroyedTs),
        String(call.destroyedTs - call.createdTs),
        'true',
        String(call.userCount),
        String(call.issueCount),
        call.archive,
      ]);
      expect(HOSTILE_CHANNEL_NAMES).toContain(call.cname);
    }
    const names = data.map((r) => r[1]!.replace(/^'(?=[=+\-@\t\r])/, ''));
    for (const hostile of [
      'the "quoted" room, with comma',
      'line one\nline two',
      'tab\there\r\nand crlf',
      '英语口语 🎉🔥 小组',
      'שיעור עברית למתחילים',
    ]) {
      expect(names).toContain(hostile);
    }
  });

  it('writes a call report with one row per user whose figures match the archived series', async () => {
    let beyondSeen = 0;
    expect(archive.detailed.map((d) => d.cname).sort()).toEqual([...DETAILED_CHANNELS].sort());
    expect(archive.detailed.every((d) => d.users.length > 1 && d.series.length > 10)).toBe(true);
    for (const detail of archive.detailed) {
      const out = join(dir, `report-${detail.callId}.csv`);
      await exports.exportToFile({ kind: 'report', params: { callId: detail.callId } }, out);
      const [header, ...data] = readCsv(out);
      expect(header).toEqual(REPORT_HEADER);
      const uids = [...new Set(detail.users.map((u) => u.uid))];
      expect(data.map((r) => Number(r[2])).sort()).toEqual(uids.sort());
      const col = (name: string) => header!.indexOf(name);
      const roles = data.map((r) => r[col('role (guess)')]);
      expect(roles.filter((r) => r === 'teacher')).toHaveLength(1);

      for (const row of data) {
        expect(row[0]).toBe(detail.callId);
        expect(row[1]).toBe(asWritten(detail.cname));
        const uid = Number(row[2]);
        const sessions = detail.users.filter((u) => u.uid === uid);
        const latest = sessions.sort((a, b) => a.joinTs - b.joinTs).at(-1)!;
        expect(row[col('platform')]).toBe(latest.platform);
        expect(row[col('SDK')]).toBe(asWritten(latest.sdkVersion));
        const joinTs = Math.min(...sessions.map((s) => s.joinTs));
        expect(row[col('join')]).toBe(iso(joinTs));
        expect(Number(row[col('join (Unix s)')])).toBe(joinTs);

        const sids = new Set(sessions.map((s) => s.sid));
        for (const metric of METRICS) {
          const series = detail.series.filter((s) => sids.has(s.sid) && s.mid === metric.mid);
          const values = series.flatMap((s) => [...s.values]);
          const unit = metric.unit ? ` (${metric.unit})` : '';
          const max = row[col(`${metric.key} max${unit}`)]!;
          const mean = row[col(`${metric.key} mean${unit}`)]!;
          const p95 = row[col(`${metric.key} p95${unit}`)]!;
          const beyond = row[col(`${metric.key} time beyond threshold (s)`)]!;
          if (values.length === 0) {
            expect([max, mean, p95, beyond]).toEqual(['', '', '', '']);
            continue;
          }
          expect(Math.fround(Number(max))).toBe(Math.max(...values));
          const expectedMean = values.reduce((a, b) => a + b, 0) / values.length;
          expect(Number(mean)).toBeCloseTo(expectedMean, 3);
          expect(Math.fround(Number(p95))).toBe(nearestRankP95(values));
          const seconds = secondsBeyondThreshold(metric.mid, series);
          if (seconds === null) expect(beyond).toBe('');
          else {
            expect(Number(beyond)).toBe(seconds);
            beyondSeen += seconds;
          }
          const issues = detail.issues.filter((i) => i.uid === uid && i.mid === metric.mid);
          expect(Number(row[col(`${metric.key} issues`)])).toBe(issues.length);
        }
      }
    }
    // The simulated incidents go past the thresholds, so the time column was really compared.
    expect(beyondSeen).toBeGreaterThan(0);
  });

  it('writes every raw sample of a call in long form, values reading back exactly', async () => {
    const detail = archive.detailed[0]!;
    const out = join(dir, 'metrics.csv');
    const { rows } = await exports.exportToFile(
      { kind: 'metrics', params: { callId: detail.callId } },
      out,
    );
    const [header, ...data] = readCsv(out);
    expect(header).toEqual([...METRICS_HEADER]);
    const total = detail.series.reduce((n, s) => n + s.ts.length, 0);
    expect(rows).toBe(total);
    expect(data).toHaveLength(total);

    const uidOf = new Map(detail.users.map((u) => [u.sid, u.uid]));
    const expected = new Map<string, number>();
    for (const s of detail.series) {
      for (let i = 0; i < s.ts.length; i++) {
        expected.set(`${s.ts[i]}|${uidOf.get(s.sid)}|${s.peerUid}|${s.mid}|${s.sid}`, s.values[i]!);
      }
    }
    // Rows carry no sid; match each row to a sample of the same user, peer, metric and time.
    const bySample = new Map<string, number[]>();
    for (const [key, value] of expected) {
      const k = key.slice(0, key.lastIndexOf('|'));
      bySample.set(k, [...(bySample.get(k) ?? []), value]);
    }
    for (const row of data) {
      const [time, unix, uid, peer, mid, name, unit, value] = row as [string, ...string[]];
      expect(time).toBe(iso(Number(unix)));
      const info = metricInfo(Number(mid))!;
      expect(name).toBe(info.key);
      expect(unit).toBe(info.unit);
      const candidates = bySample.get(`${unix}|${uid}|${peer}|${mid}`);
      expect(candidates, row.join(',')).toBeDefined();
      expect(candidates).toContain(Math.fround(Number(value)));
    }
  });

  it('refuses to export a call the archive does not hold, before touching any file', async () => {
    await expect(
      exports.exportToFile(
        { kind: 'report', params: { callId: 'no-such-call' } },
        join(dir, 'x.csv'),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(() => readFileSync(join(dir, 'x.csv'))).toThrow();
  });
});

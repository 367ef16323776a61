// The "report" export: one call, one row per user (uid), with who they were (role guess,
// platform, network, device, SDK, presence) and a summary of every catalogue metric.

import type { CallDetail, CallUser, MetricSeries } from '../../shared/archive-types.ts';
import { BETA_PLAN } from '../../shared/api-limits.ts';
import { METRICS } from '../../shared/metrics.ts';
import type { CsvRow } from './csv-writer.ts';
import { isoFromUnix, isoOrEmpty } from './csv-time.ts';
import { fileNamePart, type CsvTable } from './export-sources.ts';
import { shortestFloat32 } from './float32-decimal.ts';
import { summariseMetric } from './metric-summary.ts';
import { guessRoles } from './role-guess.ts';

const USER_COLUMNS = [
  'call id',
  'channel',
  'uid',
  'role (guess)',
  'sessions',
  'platform',
  'network',
  'device',
  'SDK',
  'join',
  'join (Unix s)',
  'leave',
  'leave (Unix s)',
  'duration (s)',
] as const;

const unitSuffix = (unit: string) => (unit === '' ? '' : ` (${unit})`);

export const REPORT_HEADER: readonly string[] = [
  ...USER_COLUMNS,
  ...METRICS.flatMap((m) => [
    `${m.key} mean${unitSuffix(m.unit)}`,
    `${m.key} p95${unitSuffix(m.unit)}`,
    `${m.key} max${unitSuffix(m.unit)}`,
    `${m.key} time beyond threshold (s)`,
    `${m.key} issues`,
  ]),
];

interface ReportUser {
  uid: number;
  sessions: CallUser[];
  /** The latest session: what the user last joined with. */
  latest: CallUser;
  joinTs: number;
  /** 0 while any session runs. */
  leaveTs: number;
  presenceSec: number;
}

function groupUsers(detail: CallDetail): ReportUser[] {
  const byUid = new Map<number, CallUser[]>();
  for (const user of detail.users) {
    const list = byUid.get(user.uid);
    if (list) list.push(user);
    else byUid.set(user.uid, [user]);
  }
  const until = detail.detailsToTs ?? 0;
  return [...byUid.entries()]
    .map(([uid, sessions]) => {
      sessions.sort((a, b) => a.joinTs - b.joinTs);
      const running = sessions.some((s) => s.leaveTs === 0);
      const presenceSec = sessions.reduce(
        (sum, s) => sum + Math.max(0, (s.leaveTs || Math.max(until, s.joinTs)) - s.joinTs),
        0,
      );
      return {
        uid,
        sessions,
        latest: sessions[sessions.length - 1] as CallUser,
        joinTs: sessions[0]?.joinTs ?? 0,
        leaveTs: running ? 0 : Math.max(...sessions.map((s) => s.leaveTs)),
        presenceSec,
      };
    })
    .sort((a, b) => a.joinTs - b.joinTs || a.uid - b.uid);
}

const num = (value: number | null): number | null =>
  value === null ? null : shortestFloat32(value);

export function callReportRows(
  detail: CallDetail,
  sampleIntervalSec = BETA_PLAN.sampleIntervalSec,
): CsvRow[] {
  const users = groupUsers(detail);
  const roles = guessRoles(
    users.map((u) => ({
      uid: u.uid,
      platform: u.latest.platform,
      speaker: u.sessions.some((s) => s.speaker),
      joinTs: u.joinTs,
      presenceSec: u.presenceSec,
    })),
  );
  const uidOfSid = new Map(detail.users.map((u) => [u.sid, u.uid]));
  const seriesByUidMid = new Map<string, MetricSeries[]>();
  for (const s of detail.series) {
    const uid = uidOfSid.get(s.sid);
    if (uid === undefined) continue;
    const key = `${uid}:${s.mid}`;
    const list = seriesByUidMid.get(key);
    if (list) list.push(s);
    else seriesByUidMid.set(key, [s]);
  }
  return users.map((u) => {
    const issues = detail.issues.filter((i) => i.uid === u.uid);
    const summaries = METRICS.flatMap((m) => {
      const s = summariseMetric(
        m.mid,
        seriesByUidMid.get(`${u.uid}:${m.mid}`) ?? [],
        issues,
        sampleIntervalSec,
      );
      // The mean is a computed figure: round it like the others, at float32 precision.
      return [num(s.mean), num(s.p95), num(s.max), s.beyondThresholdSec, s.issues];
    });
    return [
      detail.callId,
      detail.cname,
      u.uid,
      roles.get(u.uid) ?? 'student',
      u.sessions.length,
      u.latest.platform,
      u.latest.network,
      u.latest.deviceType,
      u.latest.sdkVersion,
      isoFromUnix(u.joinTs),
      u.joinTs,
      isoOrEmpty(u.leaveTs),
      u.leaveTs > 0 ? u.leaveTs : null,
      u.presenceSec,
      ...summaries,
    ];
  });
}

export function callReportTable(detail: CallDetail): CsvTable {
  const rows = callReportRows(detail);
  return {
    fileName: `call-${fileNamePart(detail.callId)}-report.csv`,
    header: REPORT_HEADER,
    rowsTotal: rows.length,
    rows,
  };
}

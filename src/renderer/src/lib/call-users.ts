// One row per person in a call: a uid's sessions (rejoins) folded together, with the role guess
// (teacher / student / server) the CSV report uses too.

import type { CallDetail, CallUser } from '../../../shared/archive-types.ts';
import { guessRoles, type RoleGuess } from '../../../shared/role-guess.ts';

export interface UserRow {
  uid: number;
  role: RoleGuess;
  platform: string;
  network: string;
  deviceType: string;
  sdkVersion: string;
  speaker: boolean;
  joinTs: number;
  /** Last leave, or 0 while still in the call. */
  leaveTs: number;
  /** Seconds present over all sessions. */
  presenceSec: number;
  sessions: CallUser[];
  issueCount: number;
}

export function userRows(detail: CallDetail, nowSec: number): UserRow[] {
  const byUid = new Map<number, CallUser[]>();
  for (const u of detail.users) {
    const list = byUid.get(u.uid) ?? [];
    list.push(u);
    byUid.set(u.uid, list);
  }
  const end = (u: CallUser) => (u.leaveTs > 0 ? u.leaveTs : nowSec);
  const rows = [...byUid.entries()].map(([uid, sessions]) => {
    sessions.sort((a, b) => a.joinTs - b.joinTs);
    const latest = sessions[sessions.length - 1]!;
    const stillIn = sessions.some((s) => s.leaveTs === 0);
    return {
      uid,
      role: 'student' as RoleGuess,
      platform: latest.platform,
      network: latest.network,
      deviceType: latest.deviceType,
      sdkVersion: latest.sdkVersion,
      speaker: sessions.some((s) => s.speaker),
      joinTs: sessions[0]!.joinTs,
      leaveTs: stillIn ? 0 : Math.max(...sessions.map((s) => s.leaveTs)),
      presenceSec: sessions.reduce((sum, s) => sum + Math.max(0, end(s) - s.joinTs), 0),
      sessions,
      issueCount: detail.issues.filter((i) => i.uid === uid).length,
    };
  });
  const roles = guessRoles(rows);
  for (const row of rows) row.role = roles.get(row.uid) ?? 'student';
  const order: Record<RoleGuess, number> = { teacher: 0, student: 1, server: 2 };
  return rows.sort((a, b) => order[a.role] - order[b.role] || a.joinTs - b.joinTs || a.uid - b.uid);
}

/**
 * Who the charts show first: the teacher and the person with the most issues (two people keep
 * the legends short; the table's checkboxes add more), else the first two.
 */
export function defaultSelection(rows: readonly UserRow[]): Set<number> {
  const people = rows.filter((r) => r.role !== 'server');
  const teacher = people.find((r) => r.role === 'teacher');
  const worst = [...people]
    .filter((r) => r !== teacher && r.issueCount > 0)
    .sort((a, b) => b.issueCount - a.issueCount)[0];
  const picked = [teacher, worst].filter((r): r is UserRow => r !== undefined);
  const fill = people.filter((r) => !picked.includes(r));
  return new Set([...picked, ...fill].slice(0, 2).map((r) => r.uid));
}

// Groups a call's quality issues for reading: a sender's uplink loss leads, and what its receivers
// suffered from it at the same time (end-to-end loss, freezes, low frame rate blamed on that
// uplink) sits under it, so one incident is one row instead of one per receiver and metric.
// Every issue stays in exactly one group: nothing is dropped.

import type { QualityIssue } from '../../../shared/archive-types.ts';
import { UPLINK_MID_FOR } from '../../../shared/quality-thresholds.ts';

export interface IssueGroup {
  /** The row shown: a sender's uplink issue, or an issue on its own. */
  lead: QualityIssue;
  /** Receivers' issues the lead explains, in time order (empty for most issues). */
  effects: QualityIssue[];
  /** Distinct receivers among the effects. */
  receivers: number;
}

const byTime = (a: QualityIssue, b: QualityIssue): number =>
  a.fromTs - b.fromTs || a.uid - b.uid || a.mid - b.mid || a.peerUid - b.peerUid;

/** Seconds two issues overlap (negative when apart). */
const overlap = (a: QualityIssue, b: QualityIssue): number =>
  Math.min(a.toTs, b.toTs) - Math.max(a.fromTs, b.fromTs);

/** Whether `lead` (an uplink issue) explains `effect`: same sender, same media, same time. */
function explains(lead: QualityIssue, effect: QualityIssue): boolean {
  return (
    lead.kind === 'uplinkLoss' &&
    effect.side === 'sender-uplink' &&
    effect.peerUid !== 0 &&
    effect.peerUid === lead.uid &&
    UPLINK_MID_FOR[effect.mid] === lead.mid &&
    overlap(lead, effect) >= 0
  );
}

export function groupIssues(issues: readonly QualityIssue[]): IssueGroup[] {
  const sorted = [...issues].sort(byTime);
  const uplinks = sorted.filter((i) => i.kind === 'uplinkLoss');
  const effectsOf = new Map<QualityIssue, QualityIssue[]>(uplinks.map((u) => [u, []]));
  const groups: IssueGroup[] = [];
  const alone: QualityIssue[] = [];
  for (const issue of sorted) {
    if (issue.kind === 'uplinkLoss') continue;
    // The uplink stretch that overlaps it most (a receiver's stretch may span two of them).
    let best: QualityIssue | undefined;
    for (const u of uplinks) {
      if (explains(u, issue) && (best === undefined || overlap(u, issue) > overlap(best, issue)))
        best = u;
    }
    if (best === undefined) alone.push(issue);
    else effectsOf.get(best)?.push(issue);
  }
  for (const [lead, effects] of effectsOf) {
    groups.push({ lead, effects, receivers: new Set(effects.map((e) => e.uid)).size });
  }
  for (const lead of alone) groups.push({ lead, effects: [], receivers: 0 });
  return groups.sort((a, b) => byTime(a.lead, b.lead));
}

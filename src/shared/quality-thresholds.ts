// The one table of quality thresholds: which metric, beyond which value, for how long, makes a
// quality issue. Issue detection (main) and chart legends (renderer) read it; nothing else decides.

import type { IssueKind } from './archive-types.ts';

export interface QualityThreshold {
  kind: IssueKind;
  /** Metric ids the rule watches (each series is judged on its own). */
  mids: readonly number[];
  /** 'own': the user's own figure (peer_uid 0); 'peer': as received from a sender. */
  scope: 'own' | 'peer';
  /** A sample is bad when its value is above (or below, for 'below') the limit. */
  compare: 'above' | 'below';
  limit: number;
  /** Bad samples must span at least this many seconds (first to last bad sample, inclusive). */
  minDurationSec: number;
  /** Bad samples further apart than this break a stretch (seconds). */
  maxGapSec: number;
}

export const QUALITY_THRESHOLDS: readonly QualityThreshold[] = [
  // A sender loses packets on the way to the server: everyone receiving them suffers.
  {
    kind: 'uplinkLoss',
    mids: [20015, 20017],
    scope: 'own',
    compare: 'above',
    limit: 10,
    minDurationSec: 6,
    maxGapSec: 4,
  },
  {
    kind: 'endToEndLoss',
    mids: [20016, 20018],
    scope: 'peer',
    compare: 'above',
    limit: 10,
    minDurationSec: 6,
    maxGapSec: 4,
  },
  // Render freeze time per 2-second sample: more than a quarter of it frozen.
  {
    kind: 'videoFreeze',
    mids: [20011],
    scope: 'peer',
    compare: 'above',
    limit: 500,
    minDurationSec: 6,
    maxGapSec: 4,
  },
  {
    kind: 'audioFreeze',
    mids: [20005],
    scope: 'peer',
    compare: 'above',
    limit: 300,
    minDurationSec: 6,
    maxGapSec: 4,
  },
  {
    kind: 'highCpu',
    mids: [20002],
    scope: 'own',
    compare: 'above',
    limit: 90,
    minDurationSec: 10,
    maxGapSec: 4,
  },
  // Checked only while the sender captured normally, so a sender who stops video is no issue.
  {
    kind: 'lowReceiveFps',
    mids: [20010],
    scope: 'peer',
    compare: 'below',
    limit: 6,
    minDurationSec: 10,
    maxGapSec: 4,
  },
];

/** Uplink loss above this (%) during an end-to-end stretch puts the blame on the sender. */
export const SENDER_UPLINK_BLAME_LOSS = 5;
/** A sender's send frame rate at or above this (fps) counts as "sending video normally". */
export const SENDING_VIDEO_MIN_FPS = 10;

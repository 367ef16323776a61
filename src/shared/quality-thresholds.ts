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
  /**
   * Stretches of the same user, peer, metric and side no further apart than this (end of one to
   * start of the next, seconds) are one issue: a flapping connection is one problem, not many.
   */
  mergeGapSec: number;
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
    mergeGapSec: 10,
  },
  {
    kind: 'endToEndLoss',
    mids: [20016, 20018],
    scope: 'peer',
    compare: 'above',
    limit: 10,
    minDurationSec: 6,
    maxGapSec: 4,
    mergeGapSec: 10,
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
    mergeGapSec: 10,
  },
  {
    kind: 'audioFreeze',
    mids: [20005],
    scope: 'peer',
    compare: 'above',
    limit: 300,
    minDurationSec: 6,
    maxGapSec: 4,
    mergeGapSec: 10,
  },
  {
    kind: 'highCpu',
    mids: [20002],
    scope: 'own',
    compare: 'above',
    limit: 90,
    minDurationSec: 10,
    maxGapSec: 4,
    mergeGapSec: 10,
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
    mergeGapSec: 10,
  },
];

/** Uplink loss above this (%) during an end-to-end stretch puts the blame on the sender. */
export const SENDER_UPLINK_BLAME_LOSS = 5;
/** A sender's send frame rate at or above this (fps) counts as "sending video normally". */
export const SENDING_VIDEO_MIN_FPS = 10;

/** Audio and video uplink loss (own figures): what the sender loses on its way to the server. */
export const AUDIO_UPLINK_LOSS_MID = 20015;
export const VIDEO_UPLINK_LOSS_MID = 20017;

/**
 * The sender's uplink loss metric that can explain a figure a receiver reports about that sender
 * (end-to-end loss, freezes, received frame rate): audio with audio, video with video.
 */
export const UPLINK_MID_FOR: Readonly<Record<number, number>> = {
  20016: AUDIO_UPLINK_LOSS_MID,
  20005: AUDIO_UPLINK_LOSS_MID,
  20018: VIDEO_UPLINK_LOSS_MID,
  20011: VIDEO_UPLINK_LOSS_MID,
  20010: VIDEO_UPLINK_LOSS_MID,
};

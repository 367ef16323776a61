// The metric catalogue: every documented mid with its name, unit and chart group.

export type MetricGroup =
  'cpu' | 'bitrate' | 'framerate' | 'freeze' | 'loss' | 'quality' | 'resolution';

export interface MetricInfo {
  mid: number;
  key: string;
  unit: string;
  group: MetricGroup;
  /** 'send' metrics describe what the user sent; 'receive' ones what they got from a peer. */
  direction: 'local' | 'send' | 'receive';
}

export const METRICS: readonly MetricInfo[] = [
  { mid: 20001, key: 'sdkCpu', unit: '%', group: 'cpu', direction: 'local' },
  { mid: 20002, key: 'systemCpu', unit: '%', group: 'cpu', direction: 'local' },
  { mid: 20003, key: 'audioSendBitrate', unit: 'Kbps', group: 'bitrate', direction: 'send' },
  { mid: 20004, key: 'audioReceiveBitrate', unit: 'Kbps', group: 'bitrate', direction: 'receive' },
  { mid: 20005, key: 'audioFreeze', unit: 'ms', group: 'freeze', direction: 'receive' },
  { mid: 20006, key: 'videoSendBitrate', unit: 'Kbps', group: 'bitrate', direction: 'send' },
  { mid: 20007, key: 'videoCaptureFps', unit: 'fps', group: 'framerate', direction: 'local' },
  { mid: 20008, key: 'videoSendFps', unit: 'fps', group: 'framerate', direction: 'send' },
  { mid: 20009, key: 'videoReceiveBitrate', unit: 'Kbps', group: 'bitrate', direction: 'receive' },
  { mid: 20010, key: 'videoReceiveFps', unit: 'fps', group: 'framerate', direction: 'receive' },
  { mid: 20011, key: 'videoFreeze', unit: 'ms', group: 'freeze', direction: 'receive' },
  { mid: 20013, key: 'videoQuality', unit: '', group: 'quality', direction: 'receive' },
  { mid: 20015, key: 'audioUplinkLoss', unit: '%', group: 'loss', direction: 'send' },
  { mid: 20016, key: 'audioEndToEndLoss', unit: '%', group: 'loss', direction: 'receive' },
  { mid: 20017, key: 'videoUplinkLoss', unit: '%', group: 'loss', direction: 'send' },
  { mid: 20018, key: 'videoEndToEndLoss', unit: '%', group: 'loss', direction: 'receive' },
  { mid: 20019, key: 'videoWidth', unit: 'px', group: 'resolution', direction: 'send' },
  { mid: 20020, key: 'videoHeight', unit: 'px', group: 'resolution', direction: 'send' },
];

const BY_MID = new Map(METRICS.map((m) => [m.mid, m]));

export function metricInfo(mid: number): MetricInfo | undefined {
  return BY_MID.get(mid);
}

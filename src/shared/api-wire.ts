// Wire shapes of the Crystal Ball API, as the vendor page documents them (snake_case kept).

export interface WireCallListItem {
  call_id: string;
  cname: string;
  created_ts: number;
  destroyed_ts: number;
  finished: boolean;
}

export interface WireCallLists {
  code: number;
  message: string;
  has_more: boolean;
  call_lists: WireCallListItem[];
}

export interface WireCallInfo {
  sid: string;
  cname: string;
  uid: number;
  network: string;
  platform: string;
  speaker: boolean;
  sdk_version: string;
  device_type: string;
  join_ts: number;
  leave_ts: number;
  finished: boolean;
}

export interface WireMetricSeries {
  mid: number;
  peer_uid: number;
  kvs: Array<[number, number]>;
}

export interface WireCallDetails {
  code: number;
  message: string;
  call_id: string;
  call_info: WireCallInfo[];
  metrics: Array<{ sid: string; data: WireMetricSeries[] }>;
}

export type UsageMetric = 'userCount' | 'sessionCount' | 'channelCount';

export interface WireUsageByTime {
  code: number;
  message: string;
  data: Array<{ ts: number } & Partial<Record<UsageMetric, number>>>;
}

export interface WireFeedbackBody {
  cname: string;
  teacher_uid: number;
  action_uid?: number;
  ts?: number;
  comments?: string;
  type: 1 | 2 | 3 | 4;
}

export interface WireFeedbackReport {
  code: number;
  message: string;
}

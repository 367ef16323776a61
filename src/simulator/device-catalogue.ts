// Plausible client environments: platforms, device_type strings, SDK versions, networks and how
// capable each device is. Data plus one picker; no timing or metrics here.

import type { Random } from './prng.ts';

export type Platform = 'Android' | 'iOS' | 'Windows' | 'macOS' | 'Web' | 'Linux';
export type Network = 'Wi-Fi' | '4G' | '5G' | 'Wired';

export interface DeviceProfile {
  platform: Platform;
  deviceType: string;
  sdkVersion: string;
  network: Network;
  /** 0 = weak (old phone, 32-bit Windows 7) … 1 = strong. */
  tier: number;
  mobile: boolean;
}

interface DeviceModel {
  deviceType: string;
  tier: number;
  /** A browser on a phone or tablet: mobile networks, never a cable. */
  mobileBrowser?: true;
}

const MODELS: Record<Platform, readonly DeviceModel[]> = {
  Android: [
    { deviceType: 'Android (6.0)', tier: 0.15 },
    { deviceType: 'Android (9) vivo V1838A', tier: 0.35 },
    { deviceType: 'Android (10) HUAWEI ELE-AL00', tier: 0.6 },
    { deviceType: 'Android (11) Xiaomi M2007J3SC', tier: 0.75 },
    { deviceType: 'Android (12) OPPO PDEM10', tier: 0.8 },
    { deviceType: 'Android (13) HUAWEI MatePad BAH3-W59', tier: 0.55 },
  ],
  iOS: [
    { deviceType: 'iOS (12.4) iPhone8,1', tier: 0.3 },
    { deviceType: 'iOS (14.4) iPhone12,1', tier: 0.8 },
    { deviceType: 'iOS (13.6) iPad7,5', tier: 0.55 },
    { deviceType: 'iOS (16.2) iPad13,1', tier: 0.9 },
  ],
  Windows: [
    { deviceType: 'Windows 7 (x86)', tier: 0.2 },
    { deviceType: 'Windows 10 (x64)', tier: 0.7 },
    { deviceType: 'Windows 11 (x64)', tier: 0.85 },
  ],
  macOS: [
    { deviceType: 'macOS (10.14) MacBookAir7,2', tier: 0.4 },
    { deviceType: 'macOS (11.2) MacBookPro16,1', tier: 0.9 },
    { deviceType: 'macOS (13.1) Mac14,2', tier: 0.95 },
  ],
  Web: [
    { deviceType: 'Chrome 89.0 (Windows 10)', tier: 0.6 },
    { deviceType: 'Safari 14.0 (macOS 11.2)', tier: 0.7 },
    { deviceType: 'Chrome 87.0 (Android 10)', tier: 0.4, mobileBrowser: true },
    { deviceType: 'Edge 88.0 (Windows 10)', tier: 0.6 },
  ],
  Linux: [{ deviceType: 'Linux (CentOS 7.6) server', tier: 1 }],
};

const SDK_VERSIONS: Record<Platform, readonly string[]> = {
  Android: ['2.2.0.07_14', '2.9.0.104_1', '3.3.1.26_2', '3.5.0.3_12'],
  iOS: ['2.9.0.104_3', '3.3.1.26_5', '3.5.0.3_12'],
  Windows: ['2.9.0.102_1', '3.3.1.21_3', '3.4.2.1_10', '3.5.0.3_12'],
  macOS: ['3.3.1.21_3', '3.4.2.1_10', '3.5.0.3_12'],
  Web: ['3.4.0', '4.2.1', '4.4.0'],
  Linux: ['3.0.1.1_10', '3.5.0.3_12'],
};

const MOBILE: ReadonlySet<Platform> = new Set<Platform>(['Android', 'iOS']);

/** Chance of each platform, by who is using it. */
export const PLATFORM_WEIGHTS: Record<
  'teacher' | 'student',
  ReadonlyArray<readonly [Platform, number]>
> = {
  teacher: [
    ['Windows', 45],
    ['macOS', 28],
    ['iOS', 10],
    ['Android', 5],
    ['Web', 12],
  ],
  student: [
    ['Android', 30],
    ['iOS', 28],
    ['Windows', 16],
    ['macOS', 8],
    ['Web', 18],
  ],
};

/** A phone or tablet, whether it runs an app (Android, iOS) or a browser. */
function isMobile(platform: Platform, model: DeviceModel): boolean {
  return MOBILE.has(platform) || model.mobileBrowser === true;
}

/** A network the device can be on: servers are wired, phones and tablets never are. */
export function pickNetwork(rng: Random, device: { platform: Platform; mobile: boolean }): Network {
  if (device.platform === 'Linux') return 'Wired';
  if (device.mobile) {
    return rng.weighted<Network>([
      ['Wi-Fi', 65],
      ['4G', 25],
      ['5G', 10],
    ]);
  }
  return rng.weighted<Network>([
    ['Wi-Fi', 60],
    ['Wired', 40],
  ]);
}

export function pickDevice(rng: Random, role: 'teacher' | 'student' | 'server'): DeviceProfile {
  const platform: Platform = role === 'server' ? 'Linux' : rng.weighted(PLATFORM_WEIGHTS[role]);
  const model = rng.pick(MODELS[platform]);
  const mobile = isMobile(platform, model);
  return {
    platform,
    deviceType: model.deviceType,
    sdkVersion: rng.pick(SDK_VERSIONS[platform]),
    network: pickNetwork(rng, { platform, mobile }),
    tier: model.tier,
    mobile,
  };
}

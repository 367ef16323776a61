// Domain types of the app frame: host information and user settings, with their schemas.

import { z } from 'zod';

export const HOST_KINDS = ['electron', 'browser', 'test'] as const;
export type HostKind = (typeof HOST_KINDS)[number];

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  host: HostKind;
  platform: string;
  /** e.g. "Node 24.21.0" or "Electron 45.5.0". */
  runtime: string;
  /** The OS locale, used when the language setting is 'system'. */
  osLocale: string;
}

export const LANGUAGES = ['system', 'en', 'zh-CN'] as const;
export const THEMES = ['system', 'light', 'dark'] as const;

export const SettingsSchema = z.object({
  language: z.enum(LANGUAGES),
  theme: z.enum(THEMES),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = { language: 'system', theme: 'system' };

export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

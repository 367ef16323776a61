// Picks the catalogue for a language and fills {placeholders}; no Svelte here so tests can use it.

import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type UiLanguage = 'en' | 'zh-CN';

export const CATALOGUES: Record<UiLanguage, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** 'system' follows the OS locale: any Chinese locale gets 简体中文, everything else English. */
export function resolveLanguage(setting: string, osLocale: string): UiLanguage {
  if (setting === 'en' || setting === 'zh-CN') return setting;
  return osLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function format(
  language: UiLanguage,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const template = CATALOGUES[language][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

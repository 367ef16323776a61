// The reactive current language for components: `t(key, params)` re-renders on language change.

import { format, resolveLanguage, type UiLanguage } from './catalogue.ts';
import type { MessageKey } from './en.ts';

let language = $state<UiLanguage>('en');

export const i18n = {
  get language(): UiLanguage {
    return language;
  },
  apply(setting: string, osLocale: string): void {
    language = resolveLanguage(setting, osLocale);
    document.documentElement.lang = language;
  },
};

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return format(language, key, params);
}

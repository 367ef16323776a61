// Shared reactive state of the app frame: host info, settings, the current screen and theme.

import type { AppInfo, Settings } from '../../../shared/app-types.ts';
import type { ErrorData } from '../../../shared/errors.ts';
import { i18n } from '../i18n/i18n.svelte.ts';
import { crystal } from './crystal.ts';

export const SCREENS = ['calls', 'insights', 'feedback', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

class AppState {
  info = $state<AppInfo | null>(null);
  settings = $state<Settings | null>(null);
  screen = $state<Screen>('calls');
  loadError = $state<ErrorData | null>(null);

  async load(): Promise<void> {
    this.loadError = null;
    const [info, settings] = await Promise.all([crystal.app.info(), crystal.settings.get()]);
    if (!info.ok) return void (this.loadError = info.error);
    if (!settings.ok) return void (this.loadError = settings.error);
    this.info = info.value;
    this.applySettings(settings.value);
    crystal.on('settings.changed', (next) => this.applySettings(next));
  }

  applySettings(next: Settings): void {
    this.settings = next;
    i18n.apply(next.language, this.info?.osLocale ?? navigator.language);
    document.documentElement.dataset.theme = next.theme;
  }

  async update(patch: Partial<Settings>): Promise<ErrorData | null> {
    const result = await crystal.settings.set(patch);
    if (!result.ok) return result.error;
    this.applySettings(result.value);
    return null;
  }
}

export const appState = new AppState();

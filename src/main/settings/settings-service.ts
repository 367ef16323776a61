// Reads and changes user settings (defaults, validation, change events); storage is the store's job.

import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../shared/app-types.ts';
import type { SettingsStore } from '../store/index.ts';

export interface SettingsService {
  get(): Settings;
  set(patch: SettingsPatch): Settings;
}

export function createSettingsService(deps: {
  store: SettingsStore;
  onChange?: (settings: Settings) => void;
}): SettingsService {
  const read = (): Settings => {
    const stored = deps.store.readAll();
    const merged = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
      const field = SettingsSchema.shape[key].safeParse(stored[key]);
      if (field.success) Object.assign(merged, { [key]: field.data });
    }
    return merged;
  };
  return {
    get: read,
    set(patch) {
      const next = SettingsSchema.parse({ ...read(), ...patch });
      deps.store.write(patch);
      deps.onChange?.(next);
      return next;
    },
  };
}

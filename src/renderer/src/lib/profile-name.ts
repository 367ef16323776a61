// The name a profile shows under: its own, except the built-in demo profile's, which main stores
// in English and the UI words in its own language (unless the agent renamed it).

import type { Profile } from '../../../shared/profile-types.ts';
import { t } from '../i18n/i18n.svelte.ts';

/** The name main gives the demo profile when it creates it (DEMO_PROFILE_NAME in main). */
const STORED_DEMO_NAME = 'Demo data';

export function profileName(profile: Pick<Profile, 'kind' | 'name'>): string {
  return profile.kind === 'demo' && profile.name === STORED_DEMO_NAME
    ? t('profiles.demoName')
    : profile.name;
}

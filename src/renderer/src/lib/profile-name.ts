// The name a profile shows under: its own, except the built-in demo profile's, which main stores
// in English and the UI words in its own language (unless the agent renamed it).

import { DEMO_PROFILE_NAME, type Profile } from '../../../shared/profile-types.ts';
import { t } from '../i18n/i18n.svelte.ts';

export function profileName(profile: Pick<Profile, 'kind' | 'name'>): string {
  return profile.kind === 'demo' && profile.name === DEMO_PROFILE_NAME
    ? t('profiles.demoName')
    : profile.name;
}

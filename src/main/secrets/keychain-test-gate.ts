// Test fixture: lets a test use the real Secret Service only inside the private, throwaway keyring
// that `npm test` starts (scripts/test.ts), never the user's own. Used by tests only.

import type { TestContext } from 'vitest';

/** Set by scripts/test.ts inside its dbus-run-session with an unlocked throwaway gnome-keyring. */
export const PRIVATE_KEYRING = process.env['CRYSTAL_DESK_PRIVATE_KEYRING'] === '1';

const REASON =
  'needs the private Secret Service that npm test starts (CRYSTAL_DESK_PRIVATE_KEYRING=1), so it never touches your own keyring';

/** Skips the test (saying why) outside the private keyring; under CI that is a failure instead. */
export function requirePrivateKeyring(context: TestContext): void {
  if (PRIVATE_KEYRING) return;
  if (process.env['CI'])
    throw new Error(`The keychain tests must run under CI: this test ${REASON}.`);
  context.skip(`This test ${REASON}.`);
}

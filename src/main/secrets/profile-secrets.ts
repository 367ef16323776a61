// Where each profile's Customer Certificate lives: the keychain, or (when the user chooses it
// because the keychain is unavailable) this session's memory. Reads are cached in memory so a
// burst of requests does not query the keychain each time. The secret never leaves main.

import type { SecretStorage } from '../../shared/profile-types.ts';
import { createMemorySecretStore } from './memory-secret-store.ts';
import type { SecretStore } from './secret-store.ts';

export interface ProfileSecrets {
  /** The secret, or null when none is set; KEYCHAIN_UNAVAILABLE if only the keychain could say. */
  get(id: string): Promise<string | null>;
  /** Stores in the keychain (or the session when `sessionOnly`); returns where it went. */
  set(id: string, secret: string, sessionOnly: boolean): Promise<SecretStorage>;
  /** Removes it from the session and the keychain. */
  clear(id: string): Promise<void>;
  /** Where each of `ids` has its secret; keychain failures read as 'none'. */
  storageOf(ids: readonly string[]): Promise<Map<string, SecretStorage>>;
}

export function createProfileSecrets(deps: { keychain: SecretStore }): ProfileSecrets {
  const session = createMemorySecretStore();
  const keychainCache = new Map<string, string>();

  return {
    async get(id) {
      const fromSession = await session.get(id);
      if (fromSession !== null) return fromSession;
      const cached = keychainCache.get(id);
      if (cached !== undefined) return cached;
      const stored = await deps.keychain.get(id);
      if (stored !== null) keychainCache.set(id, stored);
      return stored;
    },
    async set(id, secret, sessionOnly) {
      if (sessionOnly) {
        await session.set(id, secret);
        keychainCache.delete(id);
        return 'session';
      }
      await deps.keychain.set(id, secret);
      keychainCache.set(id, secret);
      await session.delete(id);
      return 'keychain';
    },
    async clear(id) {
      const wasInSession = await session.delete(id);
      keychainCache.delete(id);
      try {
        await deps.keychain.delete(id);
      } catch (error) {
        // A session-only secret is gone; an unreachable keychain only matters if it may hold one.
        if (!wasInSession) throw error;
      }
    },
    async storageOf(ids) {
      const inSession = await session.ids();
      let inKeychain = new Set<string>();
      if (ids.some((id) => !inSession.has(id))) {
        inKeychain = await deps.keychain.ids().catch(() => new Set(keychainCache.keys()));
      }
      return new Map(
        ids.map((id): [string, SecretStorage] => [
          id,
          inSession.has(id) ? 'session' : inKeychain.has(id) ? 'keychain' : 'none',
        ]),
      );
    },
  };
}

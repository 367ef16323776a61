// Keeps secrets in this process's memory only: the session-only fallback when the OS keychain is
// unavailable (gone when the app quits). Never persisted, never logged.

import type { SecretStore } from './secret-store.ts';

export function createMemorySecretStore(): SecretStore {
  const secrets = new Map<string, string>();
  return {
    get: async (id) => secrets.get(id) ?? null,
    async set(id, secret) {
      secrets.set(id, secret);
    },
    delete: async (id) => secrets.delete(id),
    ids: async () => new Set(secrets.keys()),
  };
}

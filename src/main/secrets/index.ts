// The secrets module's public surface: the keychain store, the session store and their combination.

export type { SecretStore } from './secret-store.ts';
export {
  createKeychainSecretStore,
  KEYCHAIN_SERVICE,
  type KeytarApi,
  type KeychainSecretStoreOptions,
} from './keychain-secret-store.ts';
export { createMemorySecretStore } from './memory-secret-store.ts';
export { createProfileSecrets, type ProfileSecrets } from './profile-secrets.ts';

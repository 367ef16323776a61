// Keeps profile secrets in the OS keychain through keytar (service `crystal-desk`, one entry per
// profile id). Any keychain failure becomes KEYCHAIN_UNAVAILABLE; falling back is the caller's call.

import { AppError } from '../../shared/errors.ts';
import type { SecretStore } from './secret-store.ts';

export const KEYCHAIN_SERVICE = 'crystal-desk';

/** The part of keytar this store uses (injectable for tests of an unavailable keychain). */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export interface KeychainSecretStoreOptions {
  service?: string;
  /** Default: keytar, loaded on first use (a missing native module is "unavailable", not a crash). */
  keytar?: KeytarApi | (() => Promise<KeytarApi>);
}

async function loadKeytar(): Promise<KeytarApi> {
  const module = (await import('keytar')) as KeytarApi & { default?: KeytarApi };
  return module.default ?? module;
}

function unavailable(error: unknown): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('KEYCHAIN_UNAVAILABLE', `The system keychain is not available (${reason}).`, {
    details: { sessionOnlyAvailable: true },
  });
}

export function createKeychainSecretStore(options: KeychainSecretStoreOptions = {}): SecretStore {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const source = options.keytar ?? loadKeytar;
  let loaded: Promise<KeytarApi> | undefined;

  async function withKeytar<T>(use: (keytar: KeytarApi) => Promise<T>): Promise<T> {
    try {
      loaded ??= typeof source === 'function' ? source() : Promise.resolve(source);
      const keytar = await loaded.catch((error: unknown) => {
        loaded = undefined; // try loading again next time
        throw error;
      });
      return await use(keytar);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw unavailable(error);
    }
  }

  return {
    get: (id) => withKeytar((k) => k.getPassword(service, id)),
    set: (id, secret) => withKeytar((k) => k.setPassword(service, id, secret)),
    delete: (id) => withKeytar((k) => k.deletePassword(service, id)),
    ids: () =>
      withKeytar(async (k) => new Set((await k.findCredentials(service)).map((c) => c.account))),
  };
}

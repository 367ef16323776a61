import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import {
  createKeychainSecretStore,
  KEYCHAIN_SERVICE,
  type KeytarApi,
} from './keychain-secret-store.ts';
import { createMemorySecretStore } from './memory-secret-store.ts';
import { requirePrivateKeyring } from './keychain-test-gate.ts';
import { createProfileSecrets } from './profile-secrets.ts';

const brokenKeytar: KeytarApi = {
  getPassword: () => Promise.reject(new Error('The name org.freedesktop.secrets was not provided')),
  setPassword: () => Promise.reject(new Error('The name org.freedesktop.secrets was not provided')),
  deletePassword: () =>
    Promise.reject(new Error('The name org.freedesktop.secrets was not provided')),
  findCredentials: () =>
    Promise.reject(new Error('The name org.freedesktop.secrets was not provided')),
};

describe('keychain secret store', () => {
  // The real Secret Service: only the private one `npm test` starts.
  it('stores, lists, reads and deletes a secret in the real Secret Service', async (context) => {
    requirePrivateKeyring(context);
    const store = createKeychainSecretStore({ service: `crystal-desk-test-${randomUUID()}` });
    const id = randomUUID();
    expect(await store.get(id)).toBeNull();
    await store.set(id, 'Certificate 密钥 #1');
    expect(await store.get(id)).toBe('Certificate 密钥 #1');
    expect(await store.ids()).toEqual(new Set([id]));
    await store.set(id, 'replaced');
    expect(await store.get(id)).toBe('replaced');
    expect(await store.delete(id)).toBe(true);
    expect(await store.get(id)).toBeNull();
    expect(await store.delete(id)).toBe(false);
  });

  it('keeps one entry per profile id under the crystal-desk service', async (context) => {
    requirePrivateKeyring(context);
    expect(KEYCHAIN_SERVICE).toBe('crystal-desk');
    const store = createKeychainSecretStore();
    const keytar = (await import('keytar')).default;
    const id = randomUUID();
    try {
      await store.set(id, 'per-profile-secret');
      expect(await keytar.getPassword('crystal-desk', id)).toBe('per-profile-secret');
    } finally {
      await store.delete(id);
    }
  });

  it('reports KEYCHAIN_UNAVAILABLE when the keychain fails or keytar cannot load', async () => {
    const broken = createKeychainSecretStore({ keytar: brokenKeytar });
    const error = await broken.set('p1', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
      details: { sessionOnlyAvailable: true },
    });
    const unloadable = createKeychainSecretStore({
      keytar: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')),
    });
    await expect(unloadable.get('p1')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
  });
});

describe('profile secrets', () => {
  it('keeps a secret for this session only when asked, and reads it before the keychain', async () => {
    const secrets = createProfileSecrets({
      keychain: createKeychainSecretStore({ keytar: brokenKeytar }),
    });
    await expect(secrets.set('p1', 's1', false)).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
    });
    expect(await secrets.set('p1', 's1', true)).toBe('session');
    expect(await secrets.get('p1')).toBe('s1');
    expect(await secrets.storageOf(['p1', 'p2'])).toEqual(
      new Map([
        ['p1', 'session'],
        ['p2', 'none'],
      ]),
    );
    await secrets.clear('p1');
    await expect(secrets.get('p1')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
  });

  it('moves a secret from the session to the keychain when it is stored there', async () => {
    const keychain = createMemorySecretStore();
    const secrets = createProfileSecrets({ keychain });
    await secrets.set('p1', 'temporary', true);
    expect(await secrets.set('p1', 'kept', false)).toBe('keychain');
    expect(await keychain.get('p1')).toBe('kept');
    expect(await secrets.storageOf(['p1'])).toEqual(new Map([['p1', 'keychain']]));
    await secrets.clear('p1');
    expect(await secrets.get('p1')).toBeNull();
    expect(await keychain.get('p1')).toBeNull();
  });
});

// Shared reactive state of API profiles: the list, the active one, and the actions on them.
// Secrets go in once (setSecret) and are never read back: only hasSecret/secretStorage are known.

import type { ErrorData } from '../../../shared/errors.ts';
import type { ArgsOf } from '../../../shared/contract.ts';
import type {
  ConnectionTestResult,
  Profile,
  ProfileRemoval,
  SecretStatus,
} from '../../../shared/profile-types.ts';
import { crystal } from './crystal.ts';

type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

class ProfilesState {
  list = $state<Profile[]>([]);
  /** False until the first list arrived (so the UI can tell "loading" from "none"). */
  loaded = $state(false);
  error = $state<ErrorData | null>(null);
  /** The first-run screen is up (set when the app starts without a profile, cleared on leaving). */
  onboarding = $state(false);
  active = $derived(this.list.find((p) => p.active) ?? null);
  #subscribed = false;

  async load(): Promise<void> {
    const result = await crystal.profiles.list();
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.error = null;
    this.list = result.value;
    this.loaded = true;
    if (!this.#subscribed) {
      this.#subscribed = true;
      crystal.on('profiles.changed', (next) => {
        this.list = next;
        this.loaded = true;
      });
    }
  }

  /** Re-reads the list after a change (the event also delivers it; this covers a missed one). */
  async #after<T>(result: Result<T>): Promise<Result<T>> {
    if (result.ok) await this.load();
    return result;
  }

  async createDemo(): Promise<Result<Profile>> {
    return this.#after(await crystal.profiles.createDemo({}));
  }

  async create(input: ArgsOf<'profiles.create'>): Promise<Result<Profile>> {
    return this.#after(await crystal.profiles.create(input));
  }

  async update(patch: ArgsOf<'profiles.update'>): Promise<Result<Profile>> {
    return this.#after(await crystal.profiles.update(patch));
  }

  async remove(id: string): Promise<Result<ProfileRemoval>> {
    return this.#after(await crystal.profiles.remove({ id }));
  }

  async activate(id: string): Promise<Result<Profile>> {
    return this.#after(await crystal.profiles.activate({ id }));
  }

  async setSecret(id: string, secret: string, sessionOnly = false): Promise<Result<SecretStatus>> {
    return this.#after(await crystal.profiles.setSecret({ id, secret, sessionOnly }));
  }

  async clearSecret(id: string): Promise<Result<SecretStatus>> {
    return this.#after(await crystal.profiles.clearSecret({ id }));
  }

  async testConnection(id: string): Promise<Result<ConnectionTestResult>> {
    return crystal.profiles.testConnection({ id });
  }
}

export const profilesState = new ProfilesState();

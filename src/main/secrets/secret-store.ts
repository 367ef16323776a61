// The interface of a place that keeps profile secrets by profile id (keychain, session memory).

export interface SecretStore {
  get(id: string): Promise<string | null>;
  set(id: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(id: string): Promise<boolean>;
  /** Ids that have a secret. */
  ids(): Promise<Set<string>>;
}

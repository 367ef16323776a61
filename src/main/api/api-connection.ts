// API access for one account: a quota limiter (persisted when given a database) and a client paced
// by it. Which account, where its secret comes from and how long the access lives are the
// callers' business (profile connections, the CLI, test fixtures).

import type { PlanLimits } from '../../shared/api-limits.ts';
import type { ProfileKind } from '../../shared/profile-types.ts';
import { createQuotaLimiter, type QuotaLimiter } from '../quota/index.ts';
import type { Db } from '../store/index.ts';
import type { CrystalClient } from './crystal-client-types.ts';
import { createCrystalClient, type CrystalClientOptions } from './crystal-client.ts';

export interface ApiConnectionOptions extends Omit<CrystalClientOptions, 'limiter' | 'plan'> {
  plan: PlanLimits;
  /** Where the limiter logs requests sent; without it counts live in memory only. */
  db?: Db;
  /** Default 'api'; the demo account keeps its quota apart (see quotaKey). */
  kind?: ProfileKind;
}

export interface ApiConnection {
  client: CrystalClient;
  limiter: QuotaLimiter;
  plan: PlanLimits;
  /** Closes the limiter (cancelling what waits); the client is unusable afterwards. */
  close(): void;
}

/** The account and base URL of a running API with built-in credentials (the simulator's handle). */
export interface BuiltInApi {
  url: string;
  appid: string;
  credentials: { customerId: string; secret: string };
}

/** The quota limiter's key: the demo account is not the real account of the same Customer ID. */
export function quotaKey(account: { kind?: ProfileKind; customerId: string }): string {
  return account.kind === 'demo' ? `demo:${account.customerId}` : account.customerId;
}

/** The client options naming a built-in API's account. */
export function builtInAccount(
  api: BuiltInApi,
): Pick<CrystalClientOptions, 'baseUrl' | 'appid' | 'customerId' | 'getSecret'> {
  return {
    baseUrl: api.url,
    appid: api.appid,
    customerId: api.credentials.customerId,
    getSecret: () => api.credentials.secret,
  };
}

export function connectToApi(options: ApiConnectionOptions): ApiConnection {
  const { db, kind, ...clientOptions } = options;
  const limiter = createQuotaLimiter({
    customerId: quotaKey({ kind, customerId: options.customerId }),
    plan: options.plan,
    db,
    clock: options.clock,
  });
  const client = createCrystalClient({ ...clientOptions, limiter });
  return { client, limiter, plan: options.plan, close: () => limiter.close() };
}

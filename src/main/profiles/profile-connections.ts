// Turns profiles into working API access for the rest of main: one quota limiter per customer
// account, one client per profile (cached until the profile changes), the demo simulator started
// lazily, and the "test connection" check. What to fetch is the callers' business (sync, feedback).

import { planLimits, type PlanLimits } from '../../shared/api-limits.ts';
import { AppError, toErrorData, type ErrorCode } from '../../shared/errors.ts';
import type { ConnectionTestResult } from '../../shared/profile-types.ts';
import type { QuotaState } from '../../shared/quota-types.ts';
import type { CrystalClient } from '../api/crystal-client-types.ts';
import { quotaKey, type ApiConnection, type BuiltInApi } from '../api/api-connection.ts';
import { createCrystalClient } from '../api/crystal-client.ts';
import type { Timers } from '../core/timers.ts';
import { createQuotaLimiter, type QuotaLimiter } from '../quota/index.ts';
import type { Db, ProfileRecord } from '../store/index.ts';
import type { ProfileService } from './profile-service.ts';

/** What a running demo API looks like to the app (the simulator's handle fits). */
export interface DemoApi extends BuiltInApi {
  close(): Promise<void>;
}

/** The limiter is shared by every profile of the account, so closing is the connections' job. */
export interface ProfileConnection extends Omit<ApiConnection, 'close'> {
  /** The profile as stored (id, kind, appid, customerId, baseUrl, plan); no secret. */
  profile: ProfileRecord;
}

export interface ProfileConnectionsDeps {
  db: Db;
  profiles: ProfileService;
  clock?: () => number;
  timers?: Timers;
  fetch?: typeof globalThis.fetch;
  /** Starts the demo API; default: the embedded simulator on a random loopback port. */
  startDemo?: () => Promise<DemoApi>;
  /** The active profile's account quota changed (other accounts' limiters stay silent). */
  onQuotaChange?: (state: QuotaState) => void;
  /** Per-request timeout of the clients (ms). */
  timeoutMs?: number;
}

export interface ProfileConnections {
  /**
   * The active profile's client, limiter and plan; AUTH_MISSING when no profile is active. A
   * missing secret is reported by the client's first request (AUTH_MISSING, not sent).
   */
  forActiveProfile(): ProfileConnection;
  /** NOT_FOUND for an unknown id. */
  forProfile(id: string): ProfileConnection;
  /** The client of the profile using this App ID (the active one first), if any. */
  clientForAppid(appid: string): CrystalClient | undefined;
  /** The quota state of the active profile's account, or null without an active profile. */
  quotaState(): QuotaState | null;
  /** One cheap request (call/lists over the last minute), reported in plain words. */
  testConnection(id?: string): Promise<ConnectionTestResult>;
  /** Forget the cached client of a changed or removed profile. */
  invalidate(id: string): void;
  close(): Promise<void>;
}

/** A connection test should answer quickly or say so. */
const TEST_TIMEOUT_MS = 15_000;

/** Every code has words: a Record, so a new code fails to compile until it gets some. */
const PLAIN_WORDS: Record<ErrorCode, string> = {
  AUTH_MISSING: 'No Customer ID and Customer Certificate are set for this profile.',
  AUTH_REJECTED: 'The API rejected the Customer ID or Customer Certificate.',
  KEYCHAIN_UNAVAILABLE:
    'The system keychain is not available; keep the secret for this session only to continue.',
  NETWORK: 'The API could not be reached. Check the network and the API base URL.',
  TIMEOUT: 'The API did not answer in time.',
  SERVER: 'The API had an internal error; try again later.',
  MALFORMED_RESPONSE: 'The API answered with something Crystal Desk could not read.',
  NOT_FOUND: 'The API base URL does not serve the Crystal Ball API.',
  RATE_LIMITED: 'The API asked to slow down; try again in a moment.',
  QUOTA_EXHAUSTED: 'The daily quota for listing calls is used up.',
  BAD_INPUT: 'The API refused the request: check the App ID.',
  OUT_OF_RANGE:
    "The API refused the last minute as out of range: check this computer's date and time.",
  CANCELLED: 'The connection test was cancelled.',
  INTERNAL: 'Crystal Desk hit an unexpected problem while testing the connection.',
};

export function createProfileConnections(deps: ProfileConnectionsDeps): ProfileConnections {
  const clock = deps.clock ?? Date.now;
  const limiters = new Map<string, { limiter: QuotaLimiter; plan: string }>();
  const clients = new Map<string, { updatedAt: number; client: CrystalClient }>();
  let demo: Promise<DemoApi> | undefined;

  async function startDemo(): Promise<DemoApi> {
    if (deps.startDemo) return deps.startDemo();
    const { startSimulator } = await import('../../simulator/index.ts');
    return startSimulator({ port: 0, clock });
  }

  function demoApi(): Promise<DemoApi> {
    demo ??= startDemo().catch((error: unknown) => {
      demo = undefined;
      throw error;
    });
    return demo;
  }

  /** Only the active account's quota reaches the UI: a sync of another profile must not show. */
  function publishIfActive(key: string, state: QuotaState): void {
    const active = deps.profiles.activeRecord();
    if (active !== undefined && quotaKey(active) === key) deps.onQuotaChange?.(state);
  }

  function limiterFor(key: string, plan: PlanLimits): QuotaLimiter {
    const known = limiters.get(key);
    if (known === undefined) {
      const limiter = createQuotaLimiter({
        customerId: key,
        plan,
        db: deps.db,
        clock,
        timers: deps.timers,
        onChange: deps.onQuotaChange && ((state) => publishIfActive(key, state)),
      });
      limiters.set(key, { limiter, plan: plan.name });
      return limiter;
    }
    if (known.plan !== plan.name) {
      known.limiter.setPlan(plan);
      known.plan = plan.name;
    }
    return known.limiter;
  }

  function forProfile(id: string): ProfileConnection {
    const profile = deps.profiles.record(id);
    const plan = planLimits(profile.plan);
    const limiter = limiterFor(quotaKey(profile), plan);
    const cached = clients.get(id);
    if (cached !== undefined && cached.updatedAt === profile.updatedAt) {
      return { profile, client: cached.client, limiter, plan };
    }
    // The demo profile's App ID and Customer ID are the simulator's defaults; the simulator
    // starts with the first request.
    const isDemo = profile.kind === 'demo';
    const client = createCrystalClient({
      baseUrl: isDemo ? async () => (await demoApi()).url : (profile.baseUrl ?? ''),
      appid: profile.appid,
      customerId: profile.customerId,
      getSecret: isDemo
        ? async () => (await demoApi()).credentials.secret
        : () => deps.profiles.secretOf(id),
      limiter,
      plan,
      fetch: deps.fetch,
      clock,
      timeoutMs: deps.timeoutMs,
    });
    clients.set(id, { updatedAt: profile.updatedAt, client });
    return { profile, client, limiter, plan };
  }

  function activeId(): string {
    const active = deps.profiles.activeRecord();
    if (active === undefined) {
      throw new AppError('AUTH_MISSING', 'No profile is active: add one or use the demo data.', {
        details: { reason: 'no_profile' },
      });
    }
    return active.id;
  }

  return {
    forActiveProfile: () => forProfile(activeId()),
    forProfile,
    clientForAppid(appid) {
      const active = deps.profiles.activeRecord();
      const match =
        active?.appid === appid
          ? active
          : deps.profiles.listRecords().find((r) => r.appid === appid);
      return match === undefined ? undefined : forProfile(match.id).client;
    },
    quotaState() {
      const active = deps.profiles.activeRecord();
      if (active === undefined) return null;
      return limiterFor(quotaKey(active), planLimits(active.plan)).state();
    },
    async testConnection(id) {
      let connection: ProfileConnection;
      try {
        connection = forProfile(id ?? activeId());
      } catch (error) {
        const data = toErrorData(error);
        return { ok: false, message: PLAIN_WORDS[data.code], error: data };
      }
      const nowSec = Math.floor(clock() / 1000);
      const started = performance.now();
      try {
        const answer = await connection.client.listCalls(
          { startTs: nowSec - 60, endTs: nowSec },
          { priority: 'interactive', timeoutMs: TEST_TIMEOUT_MS },
        );
        const latencyMs = Math.round(performance.now() - started);
        const calls = answer.call_lists.length;
        const more = answer.has_more ? ' or more' : '';
        return {
          ok: true,
          message: `Connected: the API answered in ${latencyMs} ms and lists ${calls}${more} call${calls === 1 && !more ? '' : 's'} from the last minute.`,
          latencyMs,
          callsFound: calls,
        };
      } catch (error) {
        const data = toErrorData(error);
        const sent = data.details?.['delivery'] !== 'not_sent';
        return {
          ok: false,
          message: PLAIN_WORDS[data.code],
          error: data,
          ...(sent ? { latencyMs: Math.round(performance.now() - started) } : {}),
        };
      }
    },
    invalidate(id) {
      clients.delete(id);
    },
    async close() {
      for (const { limiter } of limiters.values()) limiter.close();
      limiters.clear();
      clients.clear();
      const running = demo;
      demo = undefined;
      if (running) await running.then((api) => api.close()).catch(() => {});
    },
  };
}

// The flags every data command shares (--data-dir, --profile, an ad-hoc profile, --demo, --json)
// and what they open: the data dir's database and, when asked for, API access for one profile.

import { join } from 'node:path';
import type { ParseArgsOptionsConfig } from 'node:util';
import { BETA_PLAN, planLimits, scalePlanRates, type PlanLimits } from '../shared/api-limits.ts';
import { AppError } from '../shared/errors.ts';
import { createCrystalClient } from '../main/api/crystal-client.ts';
import type { CrystalClient } from '../main/api/crystal-client-types.ts';
import { DATABASE_FILE } from '../main/core/app-core.ts';
import { defaultDataDir } from '../main/core/data-dir.ts';
import { createProfileService } from '../main/profiles/index.ts';
import { createQuotaLimiter, type QuotaLimiter } from '../main/quota/index.ts';
import { createKeychainSecretStore, createProfileSecrets } from '../main/secrets/index.ts';
import { createProfileStore, openDatabase, type Db } from '../main/store/index.ts';

export const CONNECTION_FLAGS = {
  'data-dir': { type: 'string' },
  profile: { type: 'string' },
  'base-url': { type: 'string' },
  appid: { type: 'string' },
  'customer-id': { type: 'string' },
  plan: { type: 'string' },
  'rate-scale': { type: 'string' },
  demo: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsOptionsConfig;

export const CONNECTION_HELP = `Where the data is and which account to use:
  --data-dir DIR         data folder (default: the app's, or CRYSTAL_DESK_DATA_DIR)
  --profile NAME         a profile saved in the app (its secret comes from the keychain)
  --base-url URL --appid APP --customer-id ID
                         an ad-hoc profile; the Customer Certificate comes from the
                         CRYSTAL_DESK_SECRET environment variable, or from the keychain entry of
                         a saved profile with the same Customer ID
  --plan NAME            limits plan of an ad-hoc profile (default beta)
  --demo                 use the embedded simulator (demo data, no account needed)
  --rate-scale F         per-second limits F times faster; only for a simulator started with the
                         same --rate-scale (tests, demos)
  --json                 machine-readable output
  -h, --help             show this help`;

export interface ConnectionFlags {
  'data-dir'?: string | undefined;
  profile?: string | undefined;
  'base-url'?: string | undefined;
  appid?: string | undefined;
  'customer-id'?: string | undefined;
  plan?: string | undefined;
  'rate-scale'?: string | undefined;
  demo?: boolean | undefined;
}

/** A usage mistake: exit code 2 with the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function openDataDir(flags: ConnectionFlags): { db: Db; dataDir: string } {
  const dataDir = flags['data-dir'] ?? defaultDataDir();
  return { db: openDatabase({ file: join(dataDir, DATABASE_FILE) }), dataDir };
}

export interface CliApi {
  appid: string;
  /** Saved profile id, or null for an ad-hoc or demo profile. */
  profileId: string | null;
  label: string;
  client: CrystalClient;
  limiter: QuotaLimiter;
  plan: PlanLimits;
  close(): Promise<void>;
}

function rateScaled(plan: PlanLimits, flags: ConnectionFlags): PlanLimits {
  const text = flags['rate-scale'];
  if (text === undefined) return plan;
  const factor = Number(text);
  if (!(factor > 0)) throw new UsageError('--rate-scale must be a number above 0.');
  return factor === 1 ? plan : scalePlanRates(plan, factor);
}

/** Whether the flags name an account (otherwise a command may work on the archive alone). */
export function namesAccount(flags: ConnectionFlags): boolean {
  return (
    flags.demo === true ||
    flags.profile !== undefined ||
    flags['base-url'] !== undefined ||
    flags.appid !== undefined ||
    flags['customer-id'] !== undefined
  );
}

/** API access for the account the flags name. */
export async function connect(flags: ConnectionFlags, db: Db, env = process.env): Promise<CliApi> {
  const adHoc = [flags['base-url'], flags.appid, flags['customer-id']];
  const modes = [
    flags.demo === true,
    flags.profile !== undefined,
    adHoc.some((v) => v !== undefined),
  ];
  if (modes.filter(Boolean).length > 1) {
    throw new UsageError(
      'Use only one of --demo, --profile NAME, or --base-url/--appid/--customer-id.',
    );
  }

  if (flags.demo === true) {
    const { startSimulator } = await import('../simulator/index.ts');
    const plan = rateScaled(BETA_PLAN, flags);
    const sim = await startSimulator({ plan });
    const limiter = createQuotaLimiter({
      customerId: `demo:${sim.credentials.customerId}`,
      plan,
      db,
    });
    const client = createCrystalClient({
      baseUrl: sim.url,
      appid: sim.appid,
      customerId: sim.credentials.customerId,
      getSecret: () => sim.credentials.secret,
      limiter,
      plan,
    });
    return {
      appid: sim.appid,
      profileId: null,
      label: 'demo data (embedded simulator)',
      client,
      limiter,
      plan,
      async close() {
        limiter.close();
        await sim.close();
      },
    };
  }

  const profiles = createProfileService({
    store: createProfileStore(db),
    secrets: createProfileSecrets({ keychain: createKeychainSecretStore() }),
  });

  if (flags.profile !== undefined) {
    const wanted = flags.profile;
    const record = profiles.listRecords().find((p) => p.name === wanted || p.id === wanted);
    if (record === undefined) {
      const names = profiles.listRecords().map((p) => `"${p.name}"`);
      throw new UsageError(
        `There is no profile named "${wanted}".${names.length > 0 ? ` Saved profiles: ${names.join(', ')}.` : ' Add one in the app first, or use --demo.'}`,
      );
    }
    if (record.kind === 'demo')
      return connect({ ...flags, profile: undefined, demo: true }, db, env);
    if (record.baseUrl === null)
      throw new UsageError(`Profile "${record.name}" has no API base URL.`);
    const plan = rateScaled(planLimits(record.plan), flags);
    const limiter = createQuotaLimiter({ customerId: record.customerId, plan, db });
    const client = createCrystalClient({
      baseUrl: record.baseUrl,
      appid: record.appid,
      customerId: record.customerId,
      getSecret: () => profiles.secretOf(record.id),
      limiter,
      plan,
    });
    return {
      appid: record.appid,
      profileId: record.id,
      label: `profile "${record.name}"`,
      client,
      limiter,
      plan,
      close: async () => limiter.close(),
    };
  }

  const [baseUrl, appid, customerId] = adHoc;
  if (baseUrl === undefined || appid === undefined || customerId === undefined) {
    throw new UsageError(
      'Say which account to use: --profile NAME, --demo, or all of --base-url URL --appid APP --customer-id ID.',
    );
  }
  const plan = rateScaled(planLimits(flags.plan), flags);
  const fromEnv = env['CRYSTAL_DESK_SECRET'];
  const getSecret = async (): Promise<string | null> => {
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    const saved = profiles
      .listRecords()
      .find((p) => p.customerId === customerId && p.kind === 'api');
    if (saved === undefined) {
      throw new AppError(
        'AUTH_MISSING',
        'No Customer Certificate: set CRYSTAL_DESK_SECRET, or save a profile with this Customer ID in the app.',
      );
    }
    return profiles.secretOf(saved.id);
  };
  const limiter = createQuotaLimiter({ customerId, plan, db });
  const client = createCrystalClient({ baseUrl, appid, customerId, getSecret, limiter, plan });
  return {
    appid,
    profileId: null,
    label: `App ID ${appid} at ${baseUrl}`,
    client,
    limiter,
    plan,
    close: async () => limiter.close(),
  };
}

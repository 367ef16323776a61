// The flags every data command shares (--data-dir, --profile, an ad-hoc profile, --demo, --json)
// and what they open: the data dir's database and, when asked for, API access for one profile.

import { join } from 'node:path';
import type { ParseArgsOptionsConfig } from 'node:util';
import { BETA_PLAN, planLimits, scalePlanRates, type PlanLimits } from '../shared/api-limits.ts';
import { AppError } from '../shared/errors.ts';
import { builtInAccount, connectToApi, type ApiConnection } from '../main/api/api-connection.ts';
import { DATABASE_FILE } from '../main/core/app-core.ts';
import { defaultDataDir } from '../main/core/data-dir.ts';
import { createProfileService } from '../main/profiles/index.ts';
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

/**
 * The flags of commands that read the archive only (no account): where it is, which App ID (or
 * which saved profile's; its secret is never read).
 */
export const ARCHIVE_FLAGS = {
  'data-dir': CONNECTION_FLAGS['data-dir'],
  appid: CONNECTION_FLAGS.appid,
  profile: CONNECTION_FLAGS.profile,
  json: CONNECTION_FLAGS.json,
  help: CONNECTION_FLAGS.help,
} as const satisfies ParseArgsOptionsConfig;

/** Help for ARCHIVE_FLAGS but --appid and --profile (see SCOPE_HELP in call-search-flags.ts). */
export const ARCHIVE_HELP = `  --data-dir DIR         data folder (default: the app's, or CRYSTAL_DESK_DATA_DIR)
  --json                 machine-readable output
  -h, --help             show this help`;

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

/** The database of the data dir the flags name. */
export function openDataDir(flags: ConnectionFlags): Db {
  const dataDir = flags['data-dir'] ?? defaultDataDir();
  return openDatabase({ file: join(dataDir, DATABASE_FILE) });
}

export interface CliApi extends Omit<ApiConnection, 'close'> {
  appid: string;
  /** Saved profile id, or null for an ad-hoc or demo profile. */
  profileId: string | null;
  label: string;
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
    const api = connectToApi({ ...builtInAccount(sim), kind: 'demo', plan, db });
    return {
      ...api,
      appid: sim.appid,
      profileId: null,
      label: 'demo data (embedded simulator)',
      async close() {
        api.close();
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
    const api = connectToApi({
      baseUrl: record.baseUrl,
      appid: record.appid,
      customerId: record.customerId,
      getSecret: () => profiles.secretOf(record.id),
      plan: rateScaled(planLimits(record.plan), flags),
      db,
    });
    return {
      ...api,
      appid: record.appid,
      profileId: record.id,
      label: `profile "${record.name}"`,
      close: async () => api.close(),
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
  const api = connectToApi({ baseUrl, appid, customerId, getSecret, plan, db });
  return {
    ...api,
    appid,
    profileId: null,
    label: `App ID ${appid} at ${baseUrl}`,
    close: async () => api.close(),
  };
}

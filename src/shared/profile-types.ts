// Profiles as the renderer sees them (never with a secret) and the argument schemas of the
// profiles.* contract methods. Storage and keychain handling live in src/main/profiles.

import { z } from 'zod';
import type { ErrorData } from './errors.ts';
import { PLANS } from './api-limits.ts';

export const DEFAULT_API_BASE_URL = 'https://api.agora.io';
export const DEFAULT_PLAN = 'beta';

/** 'api': a real Crystal Ball account; 'demo': the in-process simulator, zero setup. */
export const PROFILE_KINDS = ['api', 'demo'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/**
 * Where the profile's Customer Certificate is kept: the OS keychain, this session's memory only
 * (keychain unavailable), built in (demo), or nowhere yet.
 */
export const SECRET_STORAGES = ['keychain', 'session', 'builtin', 'none'] as const;
export type SecretStorage = (typeof SECRET_STORAGES)[number];

export interface Profile {
  id: string;
  name: string;
  kind: ProfileKind;
  appid: string;
  customerId: string;
  /** The API's base URL; null for a demo profile (the simulator picks a port when it starts). */
  baseUrl: string | null;
  plan: string;
  active: boolean;
  /** Whether a Customer Certificate is available. The secret itself never leaves main. */
  hasSecret: boolean;
  secretStorage: SecretStorage;
  createdAt: number;
  updatedAt: number;
}

export interface SecretStatus {
  id: string;
  hasSecret: boolean;
  secretStorage: SecretStorage;
}

/** The name main gives the built-in demo profile; the UI shows it in its own language. */
export const DEMO_PROFILE_NAME = 'Demo data';

export interface ProfileRemoval {
  id: string;
  removed: boolean;
  /**
   * Set when the profile is gone but its Customer Certificate could not be deleted from the
   * keychain (usually KEYCHAIN_UNAVAILABLE): it may still be stored there, under the service
   * `crystal-desk` and the profile's id, until removed by hand.
   */
  secretLeftBehind?: ErrorData;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** One sentence in plain words (English; the UI words it from `ok`/`error`). */
  message: string;
  /** Round trip of the test request in ms (not set when nothing was sent). */
  latencyMs?: number;
  /** Calls that started in the last minute, as the API listed them. */
  callsFound?: number;
  error?: ErrorData;
}

const planName = z.string().refine((p) => Object.hasOwn(PLANS, p), {
  message: `plan must be one of: ${Object.keys(PLANS).join(', ')}`,
});

export const ProfileNameSchema = z.string().trim().min(1).max(100);
/** Agora App IDs are 32 hex digits; letters and digits are accepted. */
export const AppidSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,64}$/, { message: 'App ID must be 1-64 letters or digits' });
/** HTTP Basic puts "id:secret" in the header, so a Customer ID cannot hold a colon. */
export const CustomerIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^:\s]+$/, { message: 'Customer ID must not contain ":" or spaces' });
/**
 * Credentials go in their own fields (the secret in the keychain): a URL with `user:password@`
 * would be stored and shown in the clear, and fetch refuses it anyway.
 */
export const BaseUrlSchema = z
  .url({ protocol: /^https?$/, message: 'API base URL must be an http(s) URL' })
  .max(500)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.username === '' && url.password === '';
      } catch {
        return true; // not a URL at all: z.url() has said so already
      }
    },
    {
      message:
        'API base URL must not contain a user name or password: enter the Customer ID and Customer Certificate in their own fields',
    },
  );

export const ProfileCreateSchema = z
  .object({
    name: ProfileNameSchema,
    appid: AppidSchema,
    customerId: CustomerIdSchema,
    baseUrl: BaseUrlSchema.default(DEFAULT_API_BASE_URL),
    plan: planName.default(DEFAULT_PLAN),
    /** Make it the active profile (default: only when no profile is active yet). */
    activate: z.boolean().optional(),
  })
  .strict();
export type ProfileCreate = z.output<typeof ProfileCreateSchema>;

export const ProfileUpdateSchema = z
  .object({
    id: z.string().min(1),
    name: ProfileNameSchema.optional(),
    appid: AppidSchema.optional(),
    customerId: CustomerIdSchema.optional(),
    baseUrl: BaseUrlSchema.optional(),
    plan: planName.optional(),
  })
  .strict();
export type ProfileUpdate = z.output<typeof ProfileUpdateSchema>;

export const ProfileIdSchema = z.object({ id: z.string().min(1) }).strict();

export const ProfileSetSecretSchema = z
  .object({
    id: z.string().min(1),
    secret: z.string().min(1).max(1000),
    /** Keep the secret in memory for this session only (when the keychain is unavailable). */
    sessionOnly: z.boolean().default(false),
  })
  .strict();

/** Test the given profile, or the active one. */
export const ProfileTestSchema = z.object({ id: z.string().min(1).optional() }).strict();

export const ProfileCreateDemoSchema = z.object({ name: ProfileNameSchema.optional() }).strict();

// The one IPC contract: every method (noun.verb) with its argument schema and result type, and
// every event. Main, preload, the browser host and the renderer's client are derived by walking it.
// Adding a method = one entry here + one handler in main/ipc + UI.

import { z } from 'zod';
import type { ErrorData } from './errors.ts';
import { SettingsPatchSchema, type AppInfo, type Settings } from './app-types.ts';

interface MethodSpec<A extends z.ZodType, R> {
  args: A;
  /** Phantom: carries the result type only. */
  result: R;
}

function method<A extends z.ZodType>(args: A) {
  return {
    returns: <R>(): MethodSpec<A, R> => ({ args, result: undefined as R }),
  };
}

interface EventSpec<P> {
  /** Phantom: carries the payload type only. */
  payload: P;
}

function event<P>(): EventSpec<P> {
  return { payload: undefined as P };
}

const NoArgs = z.object({}).strict();

export const contract = {
  'app.info': method(NoArgs).returns<AppInfo>(),
  'settings.get': method(NoArgs).returns<Settings>(),
  'settings.set': method(SettingsPatchSchema).returns<Settings>(),
};

export const events = {
  'settings.changed': event<Settings>(),
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type EventName = keyof typeof events;
/** What a caller passes (defaults may be omitted). */
export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;
/** What a handler receives, after validation and defaults. */
export type ParsedArgsOf<M extends MethodName> = z.output<Contract[M]['args']>;
export type ResultOf<M extends MethodName> = Contract[M]['result'];
export type PayloadOf<E extends EventName> = (typeof events)[E]['payload'];

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export const METHOD_NAMES = Object.keys(contract) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(contract, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

// Builds the renderer-facing API (`crystal.app.info()`, `crystal.on(...)`) by walking the contract
// over any transport: Electron IPC in preload, loopback HTTP in the browser host, direct in tests.

import {
  METHOD_NAMES,
  type ArgsOf,
  type EventName,
  type MethodName,
  type Outcome,
  type PayloadOf,
  type ResultOf,
} from './contract.ts';

export interface BridgeTransport {
  invoke(method: MethodName, args: unknown): Promise<Outcome<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

type NamespaceOf<M> = M extends `${infer N}.${string}` ? N : never;
type VerbOf<M, N extends string> = M extends `${N}.${infer V}` ? V : never;

/** Methods whose arguments are all optional (or none) may be called without an argument. */
type MethodFn<M extends MethodName> =
  Record<never, never> extends ArgsOf<M>
    ? (args?: ArgsOf<M>) => Promise<Outcome<ResultOf<M>>>
    : (args: ArgsOf<M>) => Promise<Outcome<ResultOf<M>>>;

export type CrystalApi = {
  [N in NamespaceOf<MethodName>]: {
    [V in VerbOf<MethodName, N>]: MethodFn<`${N}.${V}` & MethodName>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
};

export function createBridge(transport: BridgeTransport): CrystalApi {
  const api: Record<string, unknown> = {};
  for (const name of METHOD_NAMES) {
    const [ns, verb] = name.split('.') as [string, string];
    const group = (api[ns] ??= {}) as Record<string, unknown>;
    group[verb] = (args?: unknown) => transport.invoke(name, args ?? {});
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) =>
    transport.subscribe(event, listener);
  return api as CrystalApi;
}

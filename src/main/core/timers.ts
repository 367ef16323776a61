// Timers as a dependency: services that wait take them as a parameter, so tests drive time
// without sleeping. The real ones here never keep the process alive on their own.

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, unref'd: a planned retry or resume must not keep a CLI process alive. */
export const UNREF_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

// Public surface of the embedded Crystal Ball API simulator: start one in-process (demo mode,
// tests, benchmarks), inspect what it served, read its ground truth, or run its CLI.

export { startSimulator, type SimulatorHandle } from './start-simulator.ts';
export { runSimulatorCli, SIMULATOR_HELP, type CliIo } from './cli.ts';
export type { Credentials, FaultOptions, SimulatorOptions } from './simulator-options.ts';
export {
  DEFAULT_APPID,
  DEFAULT_CALLS_PER_DAY,
  DEFAULT_CREDENTIALS,
  DEFAULT_SEED,
} from './simulator-options.ts';
export type { RecordedFeedback } from './endpoint-context.ts';
export type { TruthCall, TruthIncident, TruthQuery, TruthSession } from './ground-truth.ts';
export { truthCalls, MAX_TRUTH_SPAN_SEC } from './ground-truth.ts';
export { createWorld, type SimulatedWorld } from './simulated-world.ts';
export { countUsage, type DayUsage } from './usage-counts.ts';
export type { EndpointStats, SimulatorStats } from './request-stats.ts';
export { HOSTILE_CHANNEL_NAMES } from './channel-catalogue.ts';
export { VENDOR_QUIRK_FEEDBACK_BODY } from './feedback-endpoint.ts';

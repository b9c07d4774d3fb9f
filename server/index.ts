/** The package's public API: start an embedded sandbox, and the types around it. */
export { startSandbox, type SandboxHandle, type SandboxOptions } from './start-sandbox';
export { ConfigError, type SandboxConfig, type Profile, type LogLevel } from './config';
export type { JournalStore, JournalEntry, JournalFilter, JournalPlan, JournalError, JournalFileMeta, JournalOutputMeta } from './stores/journal-store';
export type { ScenarioStore, ArmedScenario, ScenarioMatch } from './stores/scenario-store';
export { SCENARIO_NAMES } from './scenarios/scenario-outcomes';

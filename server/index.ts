/** The package's public API: start an embedded sandbox, and the types around it. */
export { startSandbox, type SandboxHandle, type SandboxOptions } from './start-sandbox';
export { ConfigError, type SandboxConfig, type Profile, type LogLevel } from './config';
export { VerificationError, type NamespaceHandle } from './controls/namespace-handle';
export type { Expectation, Verification } from './controls/verification';
export type { JournalEntry, JournalFilter, JournalPlan, JournalError, JournalFileMeta, JournalOutputMeta } from './stores/journal-record';
export type { ArmedScenario, ScenarioMatch, NamespaceSettings } from './stores/state';
export { DEFAULT_NAMESPACE } from './stores/state';
export { namespaceForApiKey, NAMESPACE_HEADER } from './stores/namespace';
export { SCENARIO_NAMES } from './scenarios/scenario-outcomes';
export type { ClosingCoverage } from './coverage/closing-coverage';
export type { CoverageReport, ReportedOutcome, SeenError } from './coverage/coverage-report';

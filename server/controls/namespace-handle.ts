/**
 * What `startSandbox()` hands a test for one namespace: its journal, arming, settings,
 * verification and reset, the same operations as the `/__sandbox/*` routes, without HTTP.
 */
import type { JournalEntry, JournalFilter } from '../stores/journal-record';
import type { ArmedScenario, NamespaceSettings, SandboxState, ScenarioMatch } from '../stores/state';
import { verifyJournal, type Expectation, type Verification } from './verification';

/** Thrown by `verify` when the expectation does not hold; the message lists the closest requests. */
export class VerificationError extends Error {
  constructor(readonly verification: Verification) {
    super(verification.message);
    this.name = 'VerificationError';
  }
}

export interface NamespaceHandle {
  readonly name: string;
  /** The namespace's recorded requests, oldest first. */
  journal(filter?: JournalFilter): Promise<JournalEntry[]>;
  /** One recorded request by id. */
  entry(id: string): Promise<JournalEntry | undefined>;
  /** Makes the next `times` (default 1) matching requests of this namespace fail as `scenario` names. */
  arm(scenario: string, options?: { times?: number; match?: ScenarioMatch }): Promise<ArmedScenario>;
  armed(): Promise<ArmedScenario[]>;
  /** Disarms everything armed here; resolves to how many were. */
  disarm(): Promise<number>;
  /** Reads, or with a patch changes, the namespace's default latency and seed. */
  settings(patch?: Partial<NamespaceSettings>): Promise<NamespaceSettings>;
  /** How many recorded requests match. */
  count(filter?: JournalFilter): Promise<number>;
  /**
   * Checks how many recorded requests match (default: at least one). Resolves with the count
   * when the expectation holds; rejects with a VerificationError naming the closest ones otherwise.
   */
  verify(filter?: JournalFilter, expectation?: Expectation): Promise<Verification>;
  /** Journal, armed scenarios, url files and settings of this namespace back to the start. */
  reset(): Promise<void>;
}

export function namespaceHandle(state: SandboxState, name: string): NamespaceHandle {
  const entries = async (filter: JournalFilter = {}) => (await state.journal.list(name, filter)).entries;
  return {
    name,
    journal: entries,
    entry: (id) => state.journal.get(name, id),
    arm: async (scenario, options = {}) => {
      await state.namespaces.touch(name);
      return state.scenarios.arm(name, scenario, options.times ?? 1, options.match ?? null);
    },
    armed: () => state.scenarios.list(name),
    disarm: () => state.scenarios.clear(name),
    settings: (patch) => (patch ? state.namespaces.updateSettings(name, patch) : state.namespaces.settings(name)),
    count: async (filter = {}) => (await entries(filter)).length,
    verify: async (filter = {}, expectation = {}) => {
      const verification = verifyJournal(await entries(), filter, expectation);
      if (!verification.satisfied) throw new VerificationError(verification);
      return verification;
    },
    reset: () => state.reset(name),
  };
}

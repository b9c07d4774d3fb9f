/**
 * A coverage report: the contract's outcomes, each with how many times a namespace's clients
 * (or every namespace's, `*`) received it, the totals and the fraction exercised. What
 * `GET /__sandbox/coverage` answers and what `--coverage-report` writes.
 * @see openapi.yaml#/components/schemas/CoverageReport
 */
import type { Contract } from '../contract/spec';
import type { Profile } from '../models/profiles';
import type { CoverageCounts, CoverageState } from '../stores/state';
import { contractOutcomes, OUTCOME_KINDS, type ContractOutcome, type OutcomeKind } from './outcomes';

/** One way clients saw an error: its status, type, code and param, and how often. */
export interface SeenError {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly count: number;
}

export type ReportedOutcome = ContractOutcome & {
  readonly count: number;
  readonly exercised: boolean;
  /** Errors only: how they looked to the clients that received them (at most MAX_OUTCOME_VARIANTS). */
  readonly seen?: readonly SeenError[];
};

export interface CoverageReport {
  readonly object: 'sandbox.coverage';
  /** The namespace reported, or `*` for every namespace since the start (or the last full reset). */
  readonly namespace: string;
  /** The profile and API date that decide which outcomes exist. */
  readonly profile: string;
  readonly api_date: string;
  readonly total: number;
  readonly exercised: number;
  /** exercised / total, from 0 to 1. */
  readonly fraction: number;
  readonly kinds: readonly { readonly kind: OutcomeKind; readonly total: number; readonly exercised: number }[];
  readonly outcomes: readonly ReportedOutcome[];
}

function seenErrors(variants: Readonly<Record<string, number>>): SeenError[] {
  return Object.entries(variants)
    .map(([text, count]) => {
      const [status, type, code, param] = JSON.parse(text) as [number, string, string | null, string | null];
      return { status, type, code, param, count };
    })
    .sort((a, b) => b.count - a.count || String(a.param).localeCompare(String(b.param)));
}

export function coverageReport(
  outcomes: readonly ContractOutcome[],
  counts: CoverageCounts,
  about: { readonly namespace: string; readonly profile: string; readonly apiDate: string },
): CoverageReport {
  const reported: ReportedOutcome[] = outcomes.map((outcome) => {
    const tally = Object.hasOwn(counts, outcome.id) ? counts[outcome.id] : undefined;
    const count = tally?.count ?? 0;
    return { ...outcome, count, exercised: count > 0, ...(outcome.kind === 'error' ? { seen: seenErrors(tally?.variants ?? {}) } : {}) };
  });
  const exercised = reported.filter((o) => o.exercised).length;
  return {
    object: 'sandbox.coverage',
    namespace: about.namespace,
    profile: about.profile,
    api_date: about.apiDate,
    total: reported.length,
    exercised,
    fraction: reported.length === 0 ? 1 : exercised / reported.length,
    kinds: OUTCOME_KINDS.map((kind) => {
      const ofKind = reported.filter((o) => o.kind === kind);
      return { kind, total: ofKind.length, exercised: ofKind.filter((o) => o.exercised).length };
    }),
    outcomes: reported,
  };
}

/** A namespace's report (`*`: every namespace's) from the state's tally: what the endpoint answers and the shutdown files hold. */
export async function namespaceReport(
  settings: { readonly profile: Profile; readonly apiDate: string },
  contract: Contract,
  coverage: CoverageState,
  namespace: string,
): Promise<CoverageReport> {
  return coverageReport(contractOutcomes(settings, contract), await coverage.counts(namespace), { namespace, profile: settings.profile, apiDate: settings.apiDate });
}

/**
 * Counts the outcome each response gave its client, in the request's namespace, where the
 * outcome is decided: the error middleware for errors, the responders for successes and
 * stream failures, the controls step for scenarios. One outcome per response (the first
 * counted wins: a scenario's error is counted as the scenario, not again as an error), and
 * only outcomes of the contract's list, so the tallies stay bounded.
 */
import type { Response } from 'express';
import type { SandboxError } from '../errors/sandbox-error';
import type { CoverageState } from '../stores/state';
import { errorOutcomeId, type ContractOutcome } from './outcomes';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The namespace whose coverage this request's outcome counts in (set by the edits and Files routes once known). */
      outcomeNamespace?: string;
      /** Set once this response's outcome is counted. */
      outcomeCounted?: boolean;
    }
  }
}

/** A client may name parameters at will; what is kept of a param is cut to this. */
const MAX_PARAM_LENGTH = 120;

/** How an error looked to its client: status, type, code and param (JSON text, one variant of its outcome). */
export function errorVariant(error: SandboxError): string {
  const param = error.param !== null && error.param.length > MAX_PARAM_LENGTH ? `${error.param.slice(0, MAX_PARAM_LENGTH)}…` : error.param;
  return JSON.stringify([error.status, error.type, error.code, param]);
}

export interface OutcomeRecorder {
  /** Counts a success, a stream failure or a scenario for this response (nothing if its outcome is counted already). */
  record(res: Response, outcome: string): void;
  /** The error middleware's hook: counts an error of the contract's list, with how it looked, unless the outcome is counted already. */
  recordError(res: Response, error: SandboxError): void;
}

/**
 * `onFailure` hears of a tally the backend could not write: the client already has its
 * answer, so nothing is thrown (as with the journal's commit).
 */
export function outcomeRecorder(outcomes: readonly ContractOutcome[], coverage: CoverageState, onFailure: (err: unknown) => void): OutcomeRecorder {
  const known = new Set(outcomes.map((o) => o.id));
  const count = (res: Response, outcome: string, variant?: string) => {
    const namespace = res.locals.outcomeNamespace;
    if (res.locals.outcomeCounted || namespace === undefined || !known.has(outcome)) return;
    res.locals.outcomeCounted = true;
    // Started before the answer is written, so a client that reads coverage right after its answer finds it counted.
    void coverage.record(namespace, outcome, variant).catch(onFailure);
  };
  return {
    record: (res, outcome) => count(res, outcome),
    recordError: (res, error) => {
      if (error.catalogueName !== null) count(res, errorOutcomeId(error.catalogueName), errorVariant(error));
    },
  };
}

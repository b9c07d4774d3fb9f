/**
 * After the body is read: the injected latency, then the scenario this request gets (its
 * own header first, else the oldest matching armed one). A scenario ends the request with
 * the live error it names, holds it unanswered (`timeout`), or names the error a stream
 * fails with after its first event (`stream_error`), which the route hands to the stream.
 */
import type { Response } from 'express';
import type { SandboxConfig } from '../config';
import { errors } from '../errors/catalogue';
import type { SandboxError } from '../errors/sandbox-error';
import { scenarioOutcomeId } from '../coverage/outcomes';
import type { OutcomeRecorder } from '../coverage/record-outcome';
import type { Stores } from '../stores/create-stores';
import type { EditContext } from './receive';
import { scenarioOutcome } from '../scenarios/scenario-outcomes';

/** Waits `ms`, or less if the client goes away first (nobody is left to answer). */
export function holdFor(ms: number, res: Response): Promise<void> {
  if (ms <= 0 || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

/** What a request offers to armed scenarios' `match`: its model (chosen once, after parse) and prompt. */
export interface ControlTarget {
  readonly model: string;
  readonly prompt: string;
}

/** What the rest of the edit must do because of a scenario: fail its stream mid-way. */
export interface ControlEffects {
  readonly streamFailure?: SandboxError;
}

export async function applyControls(
  res: Response,
  context: EditContext,
  target: ControlTarget,
  deps: { config: SandboxConfig; stores: Stores; outcomes: OutcomeRecorder },
): Promise<ControlEffects> {
  const { config, stores } = deps;
  await holdFor(context.latencyMs, res);
  const scenario = context.scenario ?? (await stores.state.scenarios.take(context.namespace, target));
  if (scenario === undefined) return {};
  context.journal.recordScenario(scenario);
  const outcome = scenarioOutcome(scenario, { model: target.model, requestId: context.requestId, apiKey: context.apiKey });
  // The stream's own failure is its outcome; every other scenario is decided here.
  if (outcome.kind === 'mid-stream') return { streamFailure: outcome.error };
  deps.outcomes.record(res, scenarioOutcomeId(scenario));
  if (outcome.kind === 'error') throw outcome.error;
  await holdFor(config.maxLatencyMs, res);
  // Still connected after the bound: answer rather than hold a socket forever.
  if (!res.destroyed) throw errors.scenarioTimeout(config.maxLatencyMs);
  return {};
}

/**
 * After the body is read: the injected latency, then the scenario this request gets (its
 * own header first, else the oldest matching armed one). A scenario ends the request with
 * the live error it names, or holds it unanswered (`timeout`).
 */
import type { Response } from 'express';
import type { SandboxConfig } from '../config';
import { errors } from '../errors/catalogue';
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

export async function applyControls(res: Response, context: EditContext, target: ControlTarget, deps: { config: SandboxConfig; stores: Stores }): Promise<void> {
  const { config, stores } = deps;
  await holdFor(context.latencyMs, res);
  const scenario = context.scenario ?? (await stores.state.scenarios.take(context.namespace, target));
  if (scenario === undefined) return;
  context.journal.recordScenario(scenario);
  const outcome = scenarioOutcome(scenario, { model: target.model, requestId: context.requestId, apiKey: context.apiKey });
  if (outcome.kind === 'error') throw outcome.error;
  await holdFor(config.maxLatencyMs, res);
  // Still connected after the bound: answer rather than hold a socket forever.
  if (!res.destroyed) throw errors.scenarioTimeout(config.maxLatencyMs);
}

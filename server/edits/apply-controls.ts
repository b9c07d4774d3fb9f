/**
 * After the body is read: the injected latency, then the scenario this request gets (its
 * own header first, else the oldest matching armed one). A scenario ends the request with
 * the live error it names, or holds it unanswered (`timeout`).
 */
import type { Request, Response } from 'express';
import type { SandboxConfig } from '../config';
import { errors } from '../errors/catalogue';
import type { Stores } from '../stores/create-stores';
import { controlsOf } from './control-headers';
import { journalOf } from './journal-recording';
import { bearerKey } from './receive';
import { scenarioOutcome } from './scenario-outcomes';
import type { ParsedForm } from './types';
import { chooseModel } from './validate';

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

export async function applyControls(req: Request, res: Response, form: ParsedForm, deps: { config: SandboxConfig; stores: Stores }): Promise<void> {
  const { config, stores } = deps;
  const controls = controlsOf(res);
  await holdFor(controls.latencyMs, res);
  const model = chooseModel(form.fields, form, config);
  const prompt = typeof form.fields.prompt === 'string' ? form.fields.prompt : '';
  const scenario = controls.scenario ?? stores.scenarios.take({ model, prompt });
  if (scenario === undefined) return;
  const record = journalOf(res);
  if (record) record.scenario = scenario;
  const outcome = scenarioOutcome(scenario, {
    model,
    requestId: String(res.locals.requestId),
    apiKey: bearerKey(req.headers.authorization) ?? '',
  });
  if (outcome.kind === 'error') throw outcome.error;
  await holdFor(config.maxLatencyMs, res);
  // Still connected after the bound: answer rather than hold a socket forever.
  if (!res.destroyed) throw errors.scenarioTimeout(config.maxLatencyMs);
}

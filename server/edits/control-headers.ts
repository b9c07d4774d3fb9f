/**
 * The `x-sandbox-*` request headers, read (and rejected when malformed) before the body:
 * `x-sandbox-scenario: NAME` forces an outcome, `x-sandbox-latency-ms: N` delays the answer.
 */
import type { RequestHandler, Response } from 'express';
import type { SandboxConfig } from '../config';
import { errors } from '../errors/catalogue';
import { isScenarioName, SCENARIO_NAMES } from './scenario-outcomes';

export interface ControlHeaders {
  /** The scenario this request asked for, if any. */
  readonly scenario: string | undefined;
  /** The delay to add: the header's, else SANDBOX_LATENCY_MS. */
  readonly latencyMs: number;
}

export const SCENARIO_HEADER = 'x-sandbox-scenario';
export const LATENCY_HEADER = 'x-sandbox-latency-ms';

function readLatency(raw: string | undefined, config: SandboxConfig): number {
  if (raw === undefined) return config.latencyMs;
  const expected = `an integer number of milliseconds from 0 to ${config.maxLatencyMs} (SANDBOX_MAX_LATENCY_MS)`;
  if (!/^\d{1,9}$/.test(raw.trim())) throw errors.invalidSandboxHeader(LATENCY_HEADER, raw, expected);
  const value = Number(raw.trim());
  if (value > config.maxLatencyMs) throw errors.invalidSandboxHeader(LATENCY_HEADER, raw, expected);
  return value;
}

export function readControlHeaders(config: SandboxConfig): RequestHandler {
  return (req, res, next) => {
    const scenario = req.get(SCENARIO_HEADER)?.trim() || undefined;
    if (scenario !== undefined && !isScenarioName(scenario)) throw errors.unknownScenario(scenario, SCENARIO_NAMES);
    const controls: ControlHeaders = { scenario, latencyMs: readLatency(req.get(LATENCY_HEADER), config) };
    res.locals.controls = controls;
    next();
  };
}

export function controlsOf(res: Response): ControlHeaders {
  return (res.locals.controls as ControlHeaders | undefined) ?? { scenario: undefined, latencyMs: 0 };
}

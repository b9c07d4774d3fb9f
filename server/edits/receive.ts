/**
 * The first step of an edit request, before any body is read: its namespace is found, its
 * journal record opened (so rejected requests are recorded too), the Bearer key checked, and
 * the `x-sandbox-*` control headers read, over the namespace's settings. What it learns is
 * the request's typed `EditContext`.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { SandboxConfig } from '../config';
import { errors } from '../errors/catalogue';
import { authorizationKey } from '../http/authorization-key';
import type { Logger } from '../logger';
import type { Stores } from '../stores/create-stores';
import { checkSandboxHeaders, LATENCY_HEADER, NAMESPACE_HEADER, SCENARIO_HEADER } from '../guards/sandbox-headers';
import { namespaceOfRequest } from '../stores/namespace';
import type { NamespaceSettings } from '../stores/state';
import { JournalRecorder } from './journal-recorder';
import { isScenarioName, SCENARIO_NAMES } from '../scenarios/scenario-outcomes';


/** What the receive step learnt, carried to every later step of the edit. */
export interface EditContext {
  readonly requestId: string;
  /** Whose journal, armed scenarios, url files and settings this request uses. */
  readonly namespace: string;
  /** The seed of this request's images: the namespace's, else SANDBOX_SEED. */
  readonly seed: string;
  /** The Bearer key sent (already accepted). */
  readonly apiKey: string;
  readonly journal: JournalRecorder;
  /** `x-sandbox-scenario`: the outcome this request asked for, if any. */
  readonly scenario: string | undefined;
  /** The delay to add: `x-sandbox-latency-ms`, else the namespace's, else SANDBOX_LATENCY_MS. */
  readonly latencyMs: number;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by the receive step on /v1/images/edits only. */
      edit?: EditContext;
    }
  }
}

/** Missing or malformed header: the live "You didn't provide an API key" 401; unknown key: invalid_api_key. */
export function authenticate(req: Request, accepted: ReadonlySet<string>): string {
  const key = authorizationKey(req.headers.authorization);
  if (key === undefined) throw errors.missingApiKey();
  if (accepted.size > 0 && !accepted.has(key)) throw errors.incorrectApiKey(key);
  return key;
}

function readScenario(req: Request): string | undefined {
  const scenario = req.get(SCENARIO_HEADER)?.trim() || undefined;
  if (scenario !== undefined && !isScenarioName(scenario)) throw errors.unknownScenario(scenario, SCENARIO_NAMES);
  return scenario;
}

function readLatency(req: Request, config: SandboxConfig, settings: NamespaceSettings): number {
  const raw = req.get(LATENCY_HEADER);
  if (raw === undefined) return settings.latencyMs ?? config.latencyMs;
  const expected = `an integer number of milliseconds from 0 to ${config.maxLatencyMs} (SANDBOX_MAX_LATENCY_MS)`;
  if (!/^\d{1,9}$/.test(raw.trim())) throw errors.invalidSandboxHeader(LATENCY_HEADER, raw, expected);
  const value = Number(raw.trim());
  if (value > config.maxLatencyMs) throw errors.invalidSandboxHeader(LATENCY_HEADER, raw, expected);
  return value;
}

export function receive(deps: { config: SandboxConfig; stores: Stores; logger: Logger }): RequestHandler {
  const { config, logger } = deps;
  const { state } = deps.stores;
  const accepted = new Set(config.apiKeys);
  const onCommitError = (err: unknown) => logger.error('could not record a request in the journal', err);
  return async (req, res, next) => {
    // An unusable namespace header, or a misspelt control header, is answered before anything is recorded.
    checkSandboxHeaders(req);
    const namespace = namespaceOfRequest(req.get(NAMESPACE_HEADER), authorizationKey(req.headers.authorization) ?? '', config.namespaceFrom);
    res.locals.outcomeNamespace = namespace;
    await state.namespaces.touch(namespace);
    const journal = await JournalRecorder.open(req, res, state.journal, namespace, onCommitError);
    const apiKey = authenticate(req, accepted);
    const settings = await state.namespaces.settings(namespace);
    res.locals.edit = {
      requestId: res.locals.requestId,
      namespace,
      seed: settings.seed ?? config.seed,
      apiKey,
      journal,
      scenario: readScenario(req),
      latencyMs: readLatency(req, config, settings),
    };
    next();
  };
}

/** The context the receive step set; the edit route runs only after it. */
export function editContextOf(res: Response): EditContext {
  const context = res.locals.edit;
  if (!context) throw errors.internal();
  return context;
}

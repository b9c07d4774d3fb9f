/**
 * The failure scenarios a test can force (`x-sandbox-scenario: NAME` or armed through
 * `POST /__sandbox/scenarios`), as data: name -> the live API's error for it.
 * @see ../shared/reference/errors.md
 */
import { errors } from '../errors/catalogue';
import type { SandboxError } from '../errors/sandbox-error';

/** What an outcome may mention: the model, the request id, the key sent. */
export interface ScenarioContext {
  readonly model: string;
  readonly requestId: string;
  readonly apiKey: string;
}

/**
 * `error`: this error instead of the edit. `hold`: no answer until the client gives up (or the
 * latency bound passes). `mid-stream`: the edit goes on, and a streamed answer ends with this
 * error as an `error` event after its first event; an answer that does not stream is unchanged.
 */
export type ScenarioOutcome =
  | { readonly kind: 'error'; readonly error: SandboxError }
  | { readonly kind: 'hold' }
  | { readonly kind: 'mid-stream'; readonly error: SandboxError };

/** Short enough that a client honouring it retries within a test's patience. */
export const RATE_LIMIT_RETRY_AFTER_MS = 500;

const fail = (error: SandboxError): ScenarioOutcome => ({ kind: 'error', error });

const SCENARIOS: Readonly<Record<string, (context: ScenarioContext) => ScenarioOutcome>> = {
  rate_limit: (c) => fail(errors.rateLimited(c.model, RATE_LIMIT_RETRY_AFTER_MS)),
  insufficient_quota: () => fail(errors.insufficientQuota()),
  server_error: () => fail(errors.internal()),
  overloaded: () => fail(errors.overloaded()),
  moderation_blocked: () => fail(errors.moderationBlocked()),
  timeout: () => ({ kind: 'hold' }),
  invalid_api_key: (c) => fail(errors.incorrectApiKey(c.apiKey)),
  org_not_verified: (c) => fail(errors.organizationNotVerified(c.model)),
  mismatched_organization: () => fail(errors.mismatchedOrganization()),
  stream_error: () => ({ kind: 'mid-stream', error: errors.internal() }),
};

export const SCENARIO_NAMES: readonly string[] = Object.keys(SCENARIOS);

export function isScenarioName(name: string): boolean {
  return Object.hasOwn(SCENARIOS, name);
}

/** The outcome of a known scenario. @throws the unknown-scenario 400 for any other name. */
export function scenarioOutcome(name: string, context: ScenarioContext): ScenarioOutcome {
  const outcome = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
  if (!outcome) throw errors.unknownScenario(name, SCENARIO_NAMES);
  return outcome(context);
}

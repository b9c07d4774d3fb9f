/**
 * Every outcome of the contract a client can receive, as data, derived from the one home of
 * each part (never a copy): successes per model family and answer form from the rules table,
 * the profile and the request schemas in openapi.yaml; mid-stream failures of each family
 * that streams; every scenario; every error of the catalogue groups the edits endpoint and
 * the Files API answer with (GROUP_ROLES `api`). Outcome coverage counts which of them each
 * namespace's clients have received.
 */
import { BODY_FORM_SCHEMAS, BODY_FORMS, type BodyForm } from '../contract/body-forms';
import type { Contract } from '../contract/spec';
import { CATALOGUE, GROUP_ROLES } from '../errors/catalogue';
import { acceptsResponseFormat, servedModels, type Profile } from '../models/profiles';
import type { ModelRules } from '../models/rules';
import { SCENARIO_NAMES, scenarioOutcome } from '../scenarios/scenario-outcomes';

export type OutcomeKind = 'success' | 'stream-failure' | 'scenario' | 'error';
export const OUTCOME_KINDS: readonly OutcomeKind[] = ['success', 'stream-failure', 'scenario', 'error'];

export type ModelFamily = ModelRules['family'];
/** How a successful edit was answered: a JSON body with `b64_json` or `url` images, or an event stream. */
export type AnswerForm = 'b64_json' | 'url' | 'stream';
/** A stream that did not reach its completed event: an `error` event after the headers, or a client that left. */
export type StreamFailure = 'error-event' | 'client-left';

/** One outcome; the fields after `description` say which one, by kind. */
export interface ContractOutcome {
  /** Stable: `success:gpt-image:multipart:stream-2`, `stream-failure:gpt-image:client-left`, `scenario:rate_limit`, `error:missingParameter`. */
  readonly id: string;
  readonly kind: OutcomeKind;
  /** One line for people. */
  readonly description: string;
  readonly family?: ModelFamily;
  readonly body_form?: BodyForm;
  readonly answer?: AnswerForm;
  readonly partial_images?: number;
  readonly failure?: StreamFailure;
  /** The scenario's name (kind `scenario`). */
  readonly scenario?: string;
  /** The catalogue name (kind `error`), and its group: the pipeline step, or `files`. */
  readonly name?: string;
  readonly group?: string;
  /** What a scenario answers with: its status, type, code and param (null for `timeout`, which holds). */
  readonly status?: number | null;
  readonly type?: string | null;
  readonly code?: string | null;
  readonly param?: string | null;
}

export const successOutcomeId = (family: ModelFamily, bodyForm: BodyForm, answer: AnswerForm, partialImages = 0): string =>
  `success:${family}:${bodyForm}:${answer === 'stream' ? `stream-${partialImages}` : answer}`;
export const streamFailureOutcomeId = (family: ModelFamily, failure: StreamFailure): string => `stream-failure:${family}:${failure}`;
export const scenarioOutcomeId = (name: string): string => `scenario:${name}`;
export const errorOutcomeId = (catalogueName: string): string => `error:${catalogueName}`;

type Schema = { properties?: Record<string, { maximum?: number; enum?: unknown[] }> };

/** What one body form's request schema lets a client ask for. */
function formFields(contract: Contract, bodyForm: BodyForm): { responseFormat: readonly unknown[]; stream: boolean; maxPartialImages: number } {
  const schemas = (contract.document.components as { schemas: Record<string, Schema> }).schemas;
  const properties = schemas[BODY_FORM_SCHEMAS[bodyForm]]?.properties ?? {};
  return {
    responseFormat: properties.response_format?.enum ?? [],
    stream: properties.stream !== undefined,
    maxPartialImages: properties.partial_images?.maximum ?? 0,
  };
}

/** Whether a model, under a profile, answers a body form with `b64_json` or `url` images. */
function answersWith(rules: ModelRules, profile: Profile, responseFormats: readonly unknown[], format: 'b64_json' | 'url'): boolean {
  if (rules.defaultResponseFormat === format) return true;
  return responseFormats.includes(format) && acceptsResponseFormat(rules, profile);
}

const FORM_TEXT: Readonly<Record<BodyForm, string>> = { multipart: 'multipart body', json: 'JSON body' };

function successOutcomes(models: readonly ModelRules[], profile: Profile, contract: Contract): ContractOutcome[] {
  const outcomes: ContractOutcome[] = [];
  const families = [...new Set(models.map((rules) => rules.family))];
  for (const family of families) {
    const members = models.filter((rules) => rules.family === family);
    for (const bodyForm of BODY_FORMS) {
      const takers = bodyForm === 'json' ? members.filter((rules) => rules.jsonBody) : members;
      if (takers.length === 0) continue;
      const fields = formFields(contract, bodyForm);
      const base = { kind: 'success' as const, family, body_form: bodyForm };
      for (const format of ['b64_json', 'url'] as const)
        if (takers.some((rules) => answersWith(rules, profile, fields.responseFormat, format)))
          outcomes.push({ ...base, id: successOutcomeId(family, bodyForm, format), answer: format, description: `${family} model, ${FORM_TEXT[bodyForm]}: a JSON answer with ${format} images` });
      if (!fields.stream || !takers.some((rules) => rules.features.stream === 'yes')) continue;
      for (let k = 0; k <= fields.maxPartialImages; k++)
        outcomes.push({
          ...base,
          id: successOutcomeId(family, bodyForm, 'stream', k),
          answer: 'stream',
          partial_images: k,
          description: `${family} model, ${FORM_TEXT[bodyForm]}: a stream of ${k} partial image${k === 1 ? '' : 's'} and its completed event`,
        });
    }
  }
  return outcomes;
}

/** Scenarios, each described by what it answers with (taken from the scenario itself, for a sample request). */
function scenarioOutcomes(streamingFamilies: readonly ModelFamily[]): { scenarios: ContractOutcome[]; midStream: string[] } {
  const scenarios: ContractOutcome[] = [];
  const midStream: string[] = [];
  for (const name of SCENARIO_NAMES) {
    const outcome = scenarioOutcome(name, { model: 'gpt-image-1', requestId: 'req_sample', apiKey: 'sk-sample-key-0000' });
    if (outcome.kind === 'mid-stream') {
      // Its outcome is a stream failure: listed there, once per family that streams.
      if (streamingFamilies.length > 0) midStream.push(name);
      continue;
    }
    const error = outcome.kind === 'error' ? outcome.error : null;
    const answer = error ? `${error.status} ${error.type}${error.code ? ` / ${error.code}` : ''}` : 'no answer until the client gives up';
    scenarios.push({
      id: scenarioOutcomeId(name),
      kind: 'scenario',
      scenario: name,
      description: `scenario ${name}: ${answer}`,
      status: error?.status ?? null,
      type: error?.type ?? null,
      code: error?.code ?? null,
      param: error?.param ?? null,
    });
  }
  return { scenarios, midStream };
}

function streamFailureOutcomes(families: readonly ModelFamily[], midStreamScenarios: readonly string[]): ContractOutcome[] {
  const forcedBy = midStreamScenarios.length > 0 ? ` (scenario ${midStreamScenarios.join(', ')})` : '';
  return families.flatMap((family) => [
    { id: streamFailureOutcomeId(family, 'error-event'), kind: 'stream-failure' as const, family, failure: 'error-event' as const, description: `${family} stream that ends with an error event after its headers${forcedBy}` },
    { id: streamFailureOutcomeId(family, 'client-left'), kind: 'stream-failure' as const, family, failure: 'client-left' as const, description: `${family} stream the client left before its completed event` },
  ]);
}

function errorOutcomes(): ContractOutcome[] {
  return CATALOGUE.filter(({ group }) => GROUP_ROLES[group] === 'api').map(({ name, group }) => ({
    id: errorOutcomeId(name),
    kind: 'error',
    name,
    group,
    description: `error ${name} (${group === 'files' ? 'the Files API' : `the ${group} step`})`,
  }));
}

const derived = new WeakMap<Contract, Map<string, readonly ContractOutcome[]>>();

/**
 * The outcomes of this sandbox's contract: its profile and API date say which models (so
 * which families and answer forms) exist. Successes, stream failures, scenarios, errors.
 * Derived once per contract, profile and date.
 */
export function contractOutcomes(settings: { readonly profile: Profile; readonly apiDate: string }, contract: Contract): readonly ContractOutcome[] {
  let byConfig = derived.get(contract);
  if (!byConfig) derived.set(contract, (byConfig = new Map()));
  const key = `${settings.profile} ${settings.apiDate}`;
  let outcomes = byConfig.get(key);
  if (!outcomes) {
    const models = servedModels(settings.profile, settings.apiDate);
    const successes = successOutcomes(models, settings.profile, contract);
    const streamingFamilies = [...new Set(successes.filter((o) => o.answer === 'stream').map((o) => o.family!))];
    const { scenarios, midStream } = scenarioOutcomes(streamingFamilies);
    outcomes = Object.freeze([...successes, ...streamFailureOutcomes(streamingFamilies, midStream), ...scenarios, ...errorOutcomes()]);
    byConfig.set(key, outcomes);
  }
  return outcomes;
}

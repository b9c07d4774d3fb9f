/**
 * Profiles as data: where the seed contract and the live API differ, one row per rule.
 * `seed` (default) answers as the seed page's contract and serves every model the sandbox
 * knows; `openai` (SANDBOX_PROFILE=openai) answers as the live API did on the API date
 * (SANDBOX_API_DATE, default the newest date of the rules table). Every rule here has a row
 * in PROFILE_DIFFERENCES, which the README's "Profiles" table repeats.
 */
import type { UnknownUrlAnswer } from '../errors/error-middleware';
import { isServedOn } from './lifecycle';
import { MODEL_RULES, findModelRules, type ModelRules } from './rules';

/** `seed`: the seed page's contract (default); `openai`: the live API where they differ. */
export const PROFILE_NAMES = ['seed', 'openai'] as const;
export type Profile = (typeof PROFILE_NAMES)[number];

export interface ProfileRules {
  /** Only models the live API served on the API date exist; the rest (retired, unreleased) do not. */
  readonly servesOnlyLiveModels: boolean;
  /** An unknown model: `invalid_value` listing the known ones, or the live "does not exist". */
  readonly unknownModelAnswer: 'list-known' | 'does-not-exist';
  /** `model` omitted: the configured default model, or 400 `missing_required_parameter`. */
  readonly requiresModel: boolean;
  /** GPT image models honour `response_format` (the seed example), or reject it as unknown. */
  readonly gptAcceptsResponseFormat: boolean;
  /** A path or method the API does not have: the "Invalid URL" envelope, or the live API's empty 404. */
  readonly unknownUrlAnswer: UnknownUrlAnswer;
}

export const PROFILES: Readonly<Record<Profile, ProfileRules>> = {
  seed: { servesOnlyLiveModels: false, unknownModelAnswer: 'list-known', requiresModel: false, gptAcceptsResponseFormat: true, unknownUrlAnswer: 'envelope' },
  openai: { servesOnlyLiveModels: true, unknownModelAnswer: 'does-not-exist', requiresModel: true, gptAcceptsResponseFormat: false, unknownUrlAnswer: 'empty-404' },
};

export interface ProfileDifference {
  readonly rule: keyof ProfileRules;
  readonly what: string;
  readonly seed: string;
  readonly openai: string;
}

/** What each rule means for a client: the README's "Profiles" table, row for row (a test compares them). */
export const PROFILE_DIFFERENCES: readonly ProfileDifference[] = [
  {
    rule: 'servesOnlyLiveModels',
    what: 'which models exist',
    seed: 'every model of the rules table, whatever its dates (a client on a newer or an older model still works)',
    openai: 'the models the live API served on the API date: released by then and not yet shut down (on 2026-12-01: gpt-image-2, 2.5 and 2.6 and their snapshots)',
  },
  {
    rule: 'unknownModelAnswer',
    what: 'a model that does not exist (unknown, retired, or not yet released)',
    seed: '400 `Invalid value: \'<name>\'. Supported values are: …` listing the known models',
    openai: '400 `The model \'<name>\' does not exist.` (`image_generation_user_error`, param `model`, `invalid_value`), checked before any other field',
  },
  {
    rule: 'requiresModel',
    what: '`model` omitted',
    seed: '`SANDBOX_DEFAULT_MODEL` (dall-e-2), switched to gpt-image-1 by a GPT-image-only field or the JSON body',
    openai: '400 `Missing required parameter: \'model\'.`',
  },
  {
    rule: 'gptAcceptsResponseFormat',
    what: '`response_format` on GPT image models',
    seed: 'honoured (the seed example sends `response_format=url` to gpt-image-1 and gets a url)',
    openai: '400 `Unknown parameter: \'response_format\'.`',
  },
  {
    rule: 'unknownUrlAnswer',
    what: 'a path or method outside `/__sandbox/` the API does not have (`/v1/images/variations`, `GET /v1/images/edits`, `OPTIONS /v1/images/edits`, `/v1/nope`)',
    seed: '404 `Invalid URL (<METHOD> <path>)` in the error envelope, which says what was called',
    openai: 'a 404 with an empty body and `x-content-type-options: nosniff`, as the live API answers since dall-e-2 and its variations endpoint went',
  },
];

/** Whether this model, under this profile, takes `response_format`. */
export function acceptsResponseFormat(rules: ModelRules, profile: Profile): boolean {
  return PROFILES[profile].gptAcceptsResponseFormat || rules.acceptsResponseFormat;
}

/** The models a profile serves on an API date. */
export function servedModels(profile: Profile, apiDate: string): readonly ModelRules[] {
  return PROFILES[profile].servesOnlyLiveModels ? MODEL_RULES.filter((rules) => isServedOn(rules, apiDate)) : MODEL_RULES;
}

/** The rules of a model name under a profile and date, or undefined when it does not exist there. */
export function modelUnder(id: string, profile: Profile, apiDate: string): ModelRules | undefined {
  const rules = findModelRules(id);
  if (!rules) return undefined;
  return !PROFILES[profile].servesOnlyLiveModels || isServedOn(rules, apiDate) ? rules : undefined;
}

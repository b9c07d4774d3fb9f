/**
 * Where the seed contract and the live API differ. The seed wins by default (profile
 * `seed`); `SANDBOX_PROFILE=openai` gives the live behaviour. Keep this list short: every
 * entry is documented in the README's "Profiles" section.
 */
import type { ModelRules } from './rules';

/** `seed`: the seed page's contract (default); `openai`: the live API where they differ. */
export type Profile = 'seed' | 'openai';

export interface ProfileDifference {
  readonly what: string;
  readonly seed: string;
  readonly openai: string;
}

export const PROFILE_DIFFERENCES: readonly ProfileDifference[] = [
  {
    what: '`response_format` on GPT image models',
    seed: 'honoured, as the seed page\'s example (gpt-image-1 with response_format=url answers a url)',
    openai: "400 `Unknown parameter: 'response_format'.` (unknown_parameter), as the live API answers",
  },
];

/** Whether this model, under this profile, takes `response_format`. */
export function acceptsResponseFormat(rules: ModelRules, profile: Profile): boolean {
  return profile === 'seed' || rules.acceptsResponseFormat;
}

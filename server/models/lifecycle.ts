/**
 * Which models the live API served on a given day, from the release and shutdown dates of
 * the rules table. Dates are `YYYY-MM-DD` strings, so they compare as text.
 */
import { MODEL_RULES, type ModelRules } from './rules';

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A real calendar day written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/** Whether the live API served this model on `apiDate`: released by then, not yet shut down. */
export function isServedOn(rules: ModelRules, apiDate: string): boolean {
  return rules.released <= apiDate && (rules.shutdown === null || apiDate < rules.shutdown);
}

/** Every date the table knows (releases, shutdowns, dated feature changes). */
export function tableDates(table: readonly ModelRules[] = MODEL_RULES): string[] {
  const dates = table.flatMap((rules) => [rules.released, rules.shutdown, rules.transparentSince]);
  return [...new Set(dates.filter((date): date is string => date !== null))].sort();
}

/**
 * The newest date in the table: the default API date of the `openai` profile. It moves only
 * when a release changes the table, so answers never change under a user's feet.
 */
export const NEWEST_TABLE_DATE: string = tableDates().at(-1)!;

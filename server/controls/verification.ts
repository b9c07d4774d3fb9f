/**
 * Verification over the journal, as WireMock users expect: how many requests match a filter,
 * whether that count meets an expectation, and, when it does not, which requests came closest
 * and what they missed, in one message a test can print.
 */
import type { components } from '../contract/openapi-types.gen';
import { filterCriteria, type JournalEntry, type JournalFilter } from '../stores/journal-record';

export type Verification = components['schemas']['Verification'];

export interface Expectation {
  /** Exactly this many. */
  readonly count?: number;
  readonly atLeast?: number;
  readonly atMost?: number;
}

function describeExpectation(e: Expectation): string {
  if (e.count !== undefined) return `exactly ${e.count}`;
  if (e.atLeast !== undefined && e.atMost !== undefined) return `between ${e.atLeast} and ${e.atMost}`;
  if (e.atLeast !== undefined) return `at least ${e.atLeast}`;
  if (e.atMost !== undefined) return `at most ${e.atMost}`;
  return 'at least 1';
}

function holds(e: Expectation, matched: number): boolean {
  if (e.count !== undefined) return matched === e.count;
  if (e.atLeast === undefined && e.atMost === undefined) return matched >= 1;
  return (e.atLeast === undefined || matched >= e.atLeast) && (e.atMost === undefined || matched <= e.atMost);
}

function describeFilter(filter: JournalFilter): string {
  const parts = Object.entries({ model: filter.model, status: filter.status, prompt: filter.prompt })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  for (const [k, v] of Object.entries(filter.fields ?? {})) parts.push(`fields.${k}=${JSON.stringify(v)}`);
  return parts.length > 0 ? parts.join(', ') : 'any request';
}

function describeEntry(entry: JournalEntry): string {
  const prompt = typeof entry.fields.prompt === 'string' ? entry.fields.prompt : '';
  return `${entry.id} ${entry.status} ${entry.plan?.model ?? String(entry.fields.model ?? '?')} "${prompt.length > 40 ? `${prompt.slice(0, 40)}…` : prompt}"`;
}

export function verifyJournal(entries: readonly JournalEntry[], filter: JournalFilter, expectation: Expectation): Verification {
  const scored = entries.map((entry) => ({ entry, ...filterCriteria(entry, filter) }));
  const matched = scored.filter((s) => s.missed.length === 0).length;
  const expected = describeExpectation(expectation);
  const satisfied = holds(expectation, matched);
  const nearest = satisfied
    ? []
    : scored
        .filter((s) => s.missed.length > 0)
        .sort((a, b) => a.missed.length - b.missed.length || b.entry.rev - a.entry.rev)
        .slice(0, 3)
        .map((s) => ({ id: s.entry.id, missed: s.missed, entry: s.entry }));
  const lines = [`Expected ${expected} request(s) matching ${describeFilter(filter)}, found ${matched} (of ${entries.length} recorded).`];
  if (nearest.length > 0) lines.push('Closest requests:', ...nearest.map((n) => `  ${describeEntry(n.entry)}: missed ${n.missed.join(', ')}`));
  return { satisfied, matched, expected, message: satisfied ? `${matched} request(s) match ${describeFilter(filter)}, as expected (${expected}).` : lines.join('\n'), nearest };
}

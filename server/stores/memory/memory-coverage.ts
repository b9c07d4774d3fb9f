/**
 * Outcome coverage in process memory: one tally per namespace and one for the whole run.
 * Each tally holds at most one entry per outcome id the caller records (and a few variants
 * of each), so it stays the size of the outcome list however many requests come.
 */
import { ALL_NAMESPACES, MAX_OUTCOME_VARIANTS, type CoverageCounts, type CoverageState } from '../state';

type Tally = Map<string, { count: number; variants: Map<string, number> }>;

function count(tally: Tally, outcome: string, variant: string | undefined): void {
  let entry = tally.get(outcome);
  if (!entry) tally.set(outcome, (entry = { count: 0, variants: new Map() }));
  entry.count += 1;
  if (variant === undefined) return;
  const seen = entry.variants.get(variant);
  if (seen !== undefined) entry.variants.set(variant, seen + 1);
  else if (entry.variants.size < MAX_OUTCOME_VARIANTS) entry.variants.set(variant, 1);
}

/** A copy, so a caller cannot change the tally. */
function copy(tally: Tally | undefined): CoverageCounts {
  const counts: Record<string, { count: number; variants: Record<string, number> }> = {};
  for (const [outcome, entry] of tally ?? []) counts[outcome] = { count: entry.count, variants: Object.fromEntries(entry.variants) };
  return counts;
}

export class MemoryCoverage implements CoverageState {
  private readonly byNamespace = new Map<string, Tally>();
  private readonly run: Tally = new Map();

  async record(namespace: string, outcome: string, variant?: string): Promise<void> {
    let tally = this.byNamespace.get(namespace);
    if (!tally) this.byNamespace.set(namespace, (tally = new Map()));
    count(tally, outcome, variant);
    count(this.run, outcome, variant);
  }

  async counts(namespace: string): Promise<CoverageCounts> {
    return copy(namespace === ALL_NAMESPACES ? this.run : this.byNamespace.get(namespace));
  }

  /** A namespace's reset or expiry: its own tally goes, the run's stays. */
  clear(namespace: string): void {
    this.byNamespace.delete(namespace);
  }

  clearAll(): void {
    this.byNamespace.clear();
    this.run.clear();
  }
}

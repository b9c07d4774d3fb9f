/**
 * Armed scenarios in process memory, per namespace: `POST /__sandbox/scenarios` makes the
 * next `times` matching edit requests of that namespace fail that way, oldest arming first.
 * `take` runs to completion without awaiting, so one use is spent atomically.
 */
import { randomBytes } from 'node:crypto';
import type { ArmedScenario, ScenarioCandidate, ScenarioMatch, ScenarioState } from '../state';

type Armed = { -readonly [K in keyof ArmedScenario]: ArmedScenario[K] };

function matches(armed: Armed, request: ScenarioCandidate): boolean {
  if (!armed.match) return true;
  if (armed.match.model !== undefined && armed.match.model !== request.model) return false;
  if (armed.match.prompt !== undefined && !request.prompt.includes(armed.match.prompt)) return false;
  return true;
}

export class MemoryScenarios implements ScenarioState {
  private readonly armed = new Map<string, Armed[]>();

  async arm(namespace: string, scenario: string, times: number, match: ScenarioMatch | null): Promise<ArmedScenario> {
    const entry: Armed = { id: `scn_${randomBytes(8).toString('hex')}`, scenario, times, remaining: times, match };
    this.armed.set(namespace, [...(this.armed.get(namespace) ?? []), entry]);
    return { ...entry };
  }

  /** Copies, so a caller cannot change what is armed. */
  async list(namespace: string): Promise<ArmedScenario[]> {
    return (this.armed.get(namespace) ?? []).map((a) => ({ ...a }));
  }

  async take(namespace: string, request: ScenarioCandidate): Promise<string | undefined> {
    const list = this.armed.get(namespace);
    const armed = list?.find((a) => matches(a, request));
    if (!list || !armed) return undefined;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.armed.set(namespace, list.filter((a) => a !== armed));
    return armed.scenario;
  }

  async clear(namespace: string): Promise<number> {
    const count = this.armed.get(namespace)?.length ?? 0;
    this.armed.delete(namespace);
    return count;
  }

  /** Armed entries of one namespace, without copying (summaries). */
  countIn(namespace: string): number {
    return this.armed.get(namespace)?.length ?? 0;
  }

  clearAll(): void {
    this.armed.clear();
  }
}

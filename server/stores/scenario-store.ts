/**
 * Armed scenarios of one sandbox: `POST /__sandbox/scenarios {"scenario","times","match"}`
 * makes the next `times` matching edit requests fail that way, oldest arming first.
 */
import { randomBytes } from 'node:crypto';

export interface ScenarioMatch {
  /** Only requests for this model (as sent, else the default model). */
  readonly model?: string;
  /** Only requests whose prompt contains this text. */
  readonly prompt?: string;
}

export interface ArmedScenario {
  readonly id: string;
  readonly scenario: string;
  readonly times: number;
  remaining: number;
  readonly match: ScenarioMatch | null;
}

/** What a request offers for matching. */
export interface ScenarioCandidate {
  readonly model: string;
  readonly prompt: string;
}

function matches(armed: ArmedScenario, request: ScenarioCandidate): boolean {
  if (!armed.match) return true;
  if (armed.match.model !== undefined && armed.match.model !== request.model) return false;
  if (armed.match.prompt !== undefined && !request.prompt.includes(armed.match.prompt)) return false;
  return true;
}

export class ScenarioStore {
  private armed: ArmedScenario[] = [];

  arm(scenario: string, times: number, match: ScenarioMatch | null): ArmedScenario {
    const entry: ArmedScenario = { id: `scn_${randomBytes(8).toString('hex')}`, scenario, times, remaining: times, match };
    this.armed.push(entry);
    return { ...entry };
  }

  /** Copies, so a caller cannot change what is armed. */
  list(): ArmedScenario[] {
    return this.armed.map((a) => ({ ...a }));
  }

  /** The scenario the next matching request gets (one use is spent), else undefined. */
  take(request: ScenarioCandidate): string | undefined {
    const armed = this.armed.find((a) => matches(a, request));
    if (!armed) return undefined;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.armed = this.armed.filter((a) => a !== armed);
    return armed.scenario;
  }

  /** Disarms everything; returns how many were armed. */
  clear(): number {
    const count = this.armed.length;
    this.armed = [];
    return count;
  }
}

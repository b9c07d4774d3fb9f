/**
 * Armed scenarios in Redis, per namespace. Consuming one is one Lua script (match on model
 * and prompt, one use spent, gone at zero), so `times: N` holds exactly across replicas.
 */
import { randomBytes } from 'node:crypto';
import type { ArmedScenario, ScenarioCandidate, ScenarioMatch, ScenarioState } from '../state';
import type { RedisConnection } from './redis-connection';
import { SCRIPTS } from './redis-scripts';

interface Definition {
  readonly scenario: string;
  readonly times: number;
  readonly match: ScenarioMatch | null;
}

export class RedisScenarios implements ScenarioState {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async arm(namespace: string, scenario: string, times: number, match: ScenarioMatch | null): Promise<ArmedScenario> {
    const id = `scn_${randomBytes(8).toString('hex')}`;
    const definition: Definition = { scenario, times, match };
    await this.redis.run(SCRIPTS.scenarioArm, [this.prefix, namespace, id, JSON.stringify(definition), String(times)]);
    return { id, scenario, times, remaining: times, match };
  }

  async list(namespace: string): Promise<ArmedScenario[]> {
    const reply = await this.redis.run<string[]>(SCRIPTS.scenarioList, [this.prefix, namespace]);
    const armed: ArmedScenario[] = [];
    for (let i = 0; i + 2 < reply.length; i += 3) {
      const definition = JSON.parse(reply[i + 1]!) as Definition;
      armed.push({ id: reply[i]!, scenario: definition.scenario, times: definition.times, remaining: Number(reply[i + 2]), match: definition.match });
    }
    return armed;
  }

  async take(namespace: string, request: ScenarioCandidate): Promise<string | undefined> {
    const scenario = await this.redis.run<string | null>(SCRIPTS.scenarioTake, [this.prefix, namespace, request.model, request.prompt]);
    return scenario ?? undefined;
  }

  async clear(namespace: string): Promise<number> {
    return Number(await this.redis.run(SCRIPTS.scenarioClear, [this.prefix, namespace]));
  }
}

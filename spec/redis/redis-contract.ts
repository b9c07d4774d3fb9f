/** The redis state backend against the same state contract as memory (spec/unit/stores/memory-state.test.ts). */
import { randomBytes } from 'node:crypto';
import { createRedisState } from '../../server/stores/redis/redis-state';
import { describeStateContract } from '../stores/state-contract';

/** Runs the contract on `url()`, each state under a prefix of its own so parallel runs never meet. */
export function describeRedisContract(url: () => string): void {
  describeStateContract('redis', async (options) => {
    const state = createRedisState({ ...options, url: url(), prefix: `test-contract-${randomBytes(6).toString('hex')}`, timeoutMs: 5_000 });
    await state.ready();
    return state;
  });
}

/** The memory state backend against the state contract (the redis backend runs the same suite). */
import { createMemoryState } from '../../../../server/stores/memory/memory-state';
import { describeStateContract } from '../../../stores/state-contract';

describeStateContract('memory', async (options) => createMemoryState(options));

/**
 * The Redis suite: the state contract against the redis backend, and three sandbox processes
 * on one Redis behind a round-robin proxy. It needs a real Redis (SANDBOX_TEST_REDIS_URL, or
 * a redis-server on PATH that it starts and stops). jest.config.js runs this level only where
 * one can be had, or where it is required (SANDBOX_TEST_REDIS=required: `npm run test:redis`
 * and CI); required and missing, it fails with what to install.
 */
import { redisAvailability, REDIS_REQUIRED_ENV, REDIS_URL_ENV, testRedis, type TestRedis } from '../helpers/redis-server';
import { describeRedisContract } from './redis-contract';
import { describeReplicas } from './replicas';

const availability = redisAvailability();

let redis: TestRedis | undefined;
beforeAll(async () => {
  if (!availability.available) throw new Error(`${REDIS_REQUIRED_ENV}=required, but ${availability.why}. Install Debian's redis-server, or set ${REDIS_URL_ENV}.`);
  redis = await testRedis();
});
afterAll(async () => {
  await redis?.dispose();
});
const url = () => {
  if (!redis) throw new Error('no Redis');
  return redis.url;
};

describeRedisContract(url);
describeReplicas(url);

/**
 * The Redis suite: the state contract against the redis backend, and three sandbox processes
 * on one Redis behind a round-robin proxy. It needs a real Redis (SANDBOX_TEST_REDIS_URL, or
 * a redis-server on PATH that it starts and stops). Where there is none, `npm test` still
 * passes and this file says so in one loud line; `npm run test:redis` and CI
 * (SANDBOX_TEST_REDIS=required) fail instead.
 */
import { redisAvailability, REDIS_REQUIRED_ENV, REDIS_URL_ENV, testRedis, type TestRedis } from '../helpers/redis-server';
import { describeRedisContract } from './redis-contract';
import { describeReplicas } from './replicas';

const availability = redisAvailability();
const required = process.env[REDIS_REQUIRED_ENV] === 'required';

if (!availability.available && !required) {
  process.stderr.write(
    `\n\u001b[1;33m!!! REDIS SUITE DID NOT RUN (${availability.why}): install redis-server and run \`npm run test:redis\`, or set ${REDIS_URL_ENV}=redis://host:port to use an existing server. CI always runs it. !!!\u001b[0m\n`,
  );
  it.skip('the Redis suite (needs redis-server or SANDBOX_TEST_REDIS_URL; see the line above)', () => undefined);
} else {
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
}

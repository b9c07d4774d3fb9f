/**
 * Whether a Redis can be had for the Redis level of the tests: SANDBOX_TEST_REDIS_URL, or a
 * redis-server on PATH. Plain CommonJS so that jest.config.js (which decides whether the
 * level runs at all) and the TypeScript helpers (redis-server.ts) share this one answer.
 */
const { spawnSync } = require('node:child_process');

const REDIS_URL_ENV = 'SANDBOX_TEST_REDIS_URL';
const REDIS_REQUIRED_ENV = 'SANDBOX_TEST_REDIS';

/** The redis-server on PATH, if any. */
function redisServerPath() {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const file = (found.stdout || '').trim();
  return found.status === 0 && file ? file : undefined;
}

/** How to get a Redis here, or why there is none. */
function redisAvailability() {
  if (process.env[REDIS_URL_ENV]) return { available: true };
  if (redisServerPath()) return { available: true };
  return { available: false, why: `no redis-server on PATH and ${REDIS_URL_ENV} unset` };
}

module.exports = { REDIS_URL_ENV, REDIS_REQUIRED_ENV, redisServerPath, redisAvailability };

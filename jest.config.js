/**
 * One jest project per level of the tests, each a set of spec/ folders: `npm run test:<level>`
 * runs one level, `npm test` all of them. spec/contract/test-levels.test.ts fails when a
 * folder holding tests belongs to no level, or to two.
 */
const LEVELS = {
  // One module called directly: of server/ (spec/unit mirrors server/), or a test helper.
  unit: ['unit', 'helpers'],
  // openapi.yaml, the generated types and the layers of server/.
  contract: ['contract'],
  // supertest on createApp, in process: a request through every step.
  http: ['http', 'property'],
  // The official openai SDK against a listening sandbox, as integrators embed it.
  sdk: ['sdk', 'embed'],
  // Programs other than Node: curl, Python, Chromium.
  clients: ['clients', 'browser'],
  // The built package: its command line, child processes, the container, the examples.
  process: ['process', 'distribution'],
  // A real Redis: the state contract on the redis backend, and replicas sharing it.
  redis: ['redis'],
};

// The redis level needs a real Redis, which no npm package ships. Where there is none (and it
// is not required, as CI and `npm run test:redis` require it), the level is left out of the
// run and the run says so, instead of a suite that passes by doing nothing.
const { redisAvailability, REDIS_REQUIRED_ENV, REDIS_URL_ENV } = require('./spec/helpers/redis-availability');
const redis = redisAvailability();
if (!redis.available && process.env[REDIS_REQUIRED_ENV] !== 'required') {
  delete LEVELS.redis;
  process.stderr.write(
    `\n\u001b[1;33m!!! THE REDIS LEVEL IS LEFT OUT (${redis.why}): install redis-server and run \`npm run test:redis\`, or set ${REDIS_URL_ENV}=redis://host:port to use an existing server. CI always runs it. !!!\u001b[0m\n\n`,
  );
}

/** @type {import('jest').Config} */
module.exports = {
  projects: Object.entries(LEVELS).map(([level, folders]) => ({
    displayName: level,
    testEnvironment: 'node',
    roots: ['<rootDir>/spec'],
    testMatch: folders.map((folder) => `<rootDir>/spec/${folder}/**/*.test.ts`),
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  })),
  testTimeout: 30000,
  // Two workers on the 2-core machine: most suites wait on sockets and libvips, not on JavaScript.
  maxWorkers: 2,
};

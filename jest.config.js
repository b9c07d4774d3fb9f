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

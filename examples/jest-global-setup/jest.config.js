// jest with one embedded image-edits-sandbox for the whole run, shared by parallel workers.
// Run it: npx jest --config examples/jest-global-setup/jest.config.js
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.test.js'],
  globalSetup: '<rootDir>/global-setup.js',
  globalTeardown: '<rootDir>/global-teardown.js',
  // The test files run side by side, each worker in its own namespace of the one sandbox.
  maxWorkers: 3,
  // An image edit renders a 1024x1024 picture: give a slow CI runner room.
  testTimeout: 30_000,
};

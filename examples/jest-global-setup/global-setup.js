// jest globalSetup: start one sandbox on a free port before any test file runs. The test
// workers start afterwards and inherit this process's environment, so every `new OpenAI()`
// in them talks to the sandbox through OPENAI_BASE_URL, with no code change.
const { startSandbox } = require('image-edits-sandbox');

module.exports = async function globalSetup() {
  const sandbox = await startSandbox({ port: 0, seed: 'ci' });
  // globalSetup and globalTeardown run in the same process: keep the handle for closing.
  globalThis.__IMAGE_EDITS_SANDBOX__ = sandbox;
  process.env.OPENAI_BASE_URL = `${sandbox.url}/v1`;
  process.env.OPENAI_API_KEY = process.env.OPENAI_API_KEY || 'sk-sandbox';
  // Tests that want the journal or scenarios find the control surface here.
  process.env.IMAGE_EDITS_SANDBOX_URL = sandbox.url;
};

// One sandbox, many jest workers: each worker uses its own namespace, so its journal, armed
// scenarios and resets never meet another worker's, though they all share one process.
const { default: OpenAI } = require('openai');

const sandboxUrl = process.env.IMAGE_EDITS_SANDBOX_URL; // set by global-setup.js
const namespace = `jest-worker-${process.env.JEST_WORKER_ID}`;
const headers = { 'x-sandbox-namespace': namespace };

/** The official SDK, configured by the environment, with this worker's namespace on every request. */
function client(options = {}) {
  return new OpenAI({ defaultHeaders: headers, ...options });
}

/** A call to the sandbox's control surface, in this worker's namespace. */
async function control(method, path, body) {
  const res = await fetch(`${sandboxUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

module.exports = {
  namespace,
  client,
  reset: () => control('POST', '/__sandbox/reset'),
  arm: (scenario, times = 1) => control('POST', '/__sandbox/scenarios', { scenario, times }),
  journal: async () => (await control('GET', '/__sandbox/requests')).data,
  verify: (where, expectation) => control('POST', '/__sandbox/requests/verify', { where, ...expectation }),
};

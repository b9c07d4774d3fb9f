// Arming failures in one worker's namespace: only this worker's requests meet them.
const path = require('node:path');
const fs = require('node:fs');
const { default: OpenAI, toFile } = require('openai');
const sandbox = require('./sandbox-namespace');

const scene = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'images', 'scene-512.png'));
const edit = (client) => toFile(scene, 'scene.png', { type: 'image/png' }).then((image) => client.images.edit({ model: 'gpt-image-1', image, prompt: 'a blue bird', quality: 'low' }));

beforeEach(() => sandbox.reset());

test('retries through two armed rate limits and succeeds', async () => {
  await sandbox.arm('rate_limit', 2);
  await edit(sandbox.client({ maxRetries: 2 }));
  const statuses = (await sandbox.journal()).map((entry) => entry.status);
  expect(statuses).toEqual([429, 429, 200]);
});

test('gives up with RateLimitError when more are armed than it retries', async () => {
  await sandbox.arm('rate_limit', 3);
  await expect(edit(sandbox.client({ maxRetries: 1 }))).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  const { satisfied, message } = await sandbox.verify({ status: 429 }, { count: 2 });
  expect([satisfied, message]).toEqual([true, expect.any(String)]);
});

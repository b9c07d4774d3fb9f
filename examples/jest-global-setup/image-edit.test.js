// A test as an integrator writes it: the official SDK, configured only by the environment.
const fs = require('node:fs');
const path = require('node:path');
const { toFile } = require('openai');
const sandbox = require('./sandbox-namespace');

const scene = path.join(__dirname, '..', '..', 'fixtures', 'images', 'scene-512.png');

beforeEach(() => sandbox.reset());

test('edits an image through the sandbox set up by globalSetup', async () => {
  const result = await sandbox.client().images.edit({
    model: 'gpt-image-1',
    image: await toFile(fs.createReadStream(scene), 'scene.png', { type: 'image/png' }),
    prompt: 'add a red rose',
    quality: 'low',
  });
  expect(Buffer.from(result.data[0].b64_json, 'base64').subarray(1, 4).toString()).toBe('PNG');
  expect(result.usage.output_tokens).toBeGreaterThan(0);
  // Only this worker's request is in its namespace's journal, whatever the others are doing.
  const journal = await sandbox.journal();
  expect(journal.map((entry) => [entry.namespace, entry.fields.prompt, entry.status])).toEqual([[sandbox.namespace, 'add a red rose', 200]]);
});

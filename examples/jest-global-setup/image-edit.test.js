// A test as an integrator writes it: the official SDK, configured only by the environment.
const fs = require('node:fs');
const path = require('node:path');
const { default: OpenAI, toFile } = require('openai');

const scene = path.join(__dirname, '..', '..', 'fixtures', 'images', 'scene-512.png');

test('edits an image through the sandbox set up by globalSetup', async () => {
  const client = new OpenAI(); // OPENAI_BASE_URL and OPENAI_API_KEY come from global-setup.js
  const result = await client.images.edit({
    model: 'gpt-image-1',
    image: await toFile(fs.createReadStream(scene), 'scene.png', { type: 'image/png' }),
    prompt: 'add a red rose',
    quality: 'low',
  });
  expect(Buffer.from(result.data[0].b64_json, 'base64').subarray(1, 4).toString()).toBe('PNG');
  expect(result.usage.output_tokens).toBeGreaterThan(0);
});

test('sees the request in the sandbox journal', async () => {
  const res = await fetch(`${process.env.IMAGE_EDITS_SANDBOX_URL}/__sandbox/requests`);
  const { data } = await res.json();
  expect(data.some((entry) => entry.fields.prompt === 'add a red rose' && entry.status === 200)).toBe(true);
});

// Verifying what the code under test sent, with a message that names the closest requests.
const path = require('node:path');
const fs = require('node:fs');
const { toFile } = require('openai');
const sandbox = require('./sandbox-namespace');

const scene = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'images', 'scene-512.png'));

beforeEach(() => sandbox.reset());

test('sent exactly one low-quality gpt-image-1 edit about roses', async () => {
  const image = await toFile(scene, 'scene.png', { type: 'image/png' });
  await sandbox.client().images.edit({ model: 'gpt-image-1', image, prompt: 'a vase of roses', quality: 'low' });
  const verification = await sandbox.verify({ model: 'gpt-image-1', prompt: 'roses', fields: { quality: 'low' } }, { count: 1 });
  expect(verification).toMatchObject({ satisfied: true, matched: 1 });
  const wrong = await sandbox.verify({ prompt: 'tulips' }, { count: 1 });
  expect(wrong.satisfied).toBe(false);
  expect(wrong.message).toMatch(/Closest requests:\n .*"a vase of roses": missed prompt/);
});

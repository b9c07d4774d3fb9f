/**
 * `npm run docs:screenshots`: the README's pictures of the dashboard (docs/dashboard-*.png),
 * taken in headless Chromium from a sandbox with a few typical requests. Run by jest (for its
 * TypeScript transform and the test helpers) but not part of `npm test`: it writes into docs/.
 */
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { dashboardSession, dashboardUrl, quickRequest } from '../spec/helpers/dashboard-page';
import { fixture } from '../spec/helpers/fixtures';
import { TEST_KEY } from '../spec/helpers/test-sandbox';

const DOCS = path.join(__dirname, '..', 'docs');

it('writes docs/dashboard-list.png, docs/dashboard-detail.png, docs/dashboard-coverage.png and docs/dashboard-narrow.png', async () => {
  const session = await dashboardSession({ sandbox: { maxLatencyMs: 60_000 }, browser: { viewport: { width: 1280, height: 800 } } });
  const { sandbox, page } = session;
  const giveUp = new AbortController();
  try {
    const sdk = (namespace?: string) => new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0, ...(namespace ? { defaultHeaders: { 'x-sandbox-namespace': namespace } } : {}) });
    const image = () => toFile(fixture('scene-512.png'), 'scene.png', { type: 'image/png' });
    await sdk().images.edit({ model: 'gpt-image-1', image: await image(), mask: await toFile(fixture('mask-512.png'), 'mask.png', { type: 'image/png' }), prompt: 'add a red rose to the vase', quality: 'low', n: 2 });
    await quickRequest(sandbox, { model: 'gpt-image-1', prompt: 'a dog in a hat' });
    await sdk('worker-2').images.edit({ model: 'dall-e-2', image: await toFile(fixture('scene-rgba-256.png'), 'cat.png', { type: 'image/png' }), prompt: 'a cat on the sofa', size: '256x256', response_format: 'url' });
    await sdk('worker-2').images.edit({ model: 'gpt-image-1', image: await image(), prompt: 'a blue tulip' }, { headers: { 'x-sandbox-scenario': 'rate_limit' } }).catch(() => undefined);
    const stream = await sdk().images.edit({ model: 'gpt-image-1', image: await image(), prompt: 'a sunflower, streamed', quality: 'low', stream: true, partial_images: 2 }).withResponse();
    for await (const _event of stream.data) void _event;
    void fetch(`${sandbox.url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, 'x-sandbox-scenario': 'timeout', 'content-type': 'application/json' }, body: '{"model":"gpt-image-1","prompt":"held until the client gives up"}', signal: giveUp.signal }).catch(() => undefined);

    await page.goto(dashboardUrl(sandbox));
    await page.waitForSelector('#list li.row[data-state="in_flight"]');
    await page.screenshot({ path: path.join(DOCS, 'dashboard-list.png') });

    await page.setViewportSize({ width: 1280, height: 1700 });
    await page.goto(dashboardUrl(sandbox, `?id=${stream.request_id}`));
    await page.locator('#detail ol.events figure[data-loaded="true"]').nth(2).waitFor();
    await page.screenshot({ path: path.join(DOCS, 'dashboard-detail.png') });

    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.goto(dashboardUrl(sandbox));
    await page.click('#tab-coverage');
    await page.waitForSelector('#cov-kinds tr');
    await page.screenshot({ path: path.join(DOCS, 'dashboard-coverage.png') });

    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(dashboardUrl(sandbox));
    await page.waitForSelector('#list li.row');
    await page.screenshot({ path: path.join(DOCS, 'dashboard-narrow.png') });
    expect(session.problems).toEqual([]);
  } finally {
    giveUp.abort();
    await session.close();
  }
}, 120_000);

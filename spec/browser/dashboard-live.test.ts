/**
 * The dashboard while requests run, in headless Chromium: a streamed request shows every event
 * in order with its time and its partial image; a request held by the `timeout` scenario is
 * listed (marked in flight) before it ends and turns into one consistent 499 when the client
 * gives up; new requests are announced to screen readers once, and idle polls announce nothing.
 */
import OpenAI, { toFile } from 'openai';
import type { Page } from 'playwright-core';
import { dashboardSession, dashboardUrl, morePolls, quickRequest, type DashboardSession } from '../helpers/dashboard-page';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY } from '../helpers/test-sandbox';

interface DecodedImage {
  naturalWidth: number;
  naturalHeight: number;
}

describe('the dashboard while requests run', () => {
  let session: DashboardSession;
  let page: Page;
  let sdk: OpenAI;

  beforeAll(async () => {
    session = await dashboardSession({ sandbox: { maxLatencyMs: 60_000 } });
    page = session.page;
    sdk = new OpenAI({ apiKey: TEST_KEY, baseURL: `${session.sandbox.url}/v1`, maxRetries: 0 });
    await page.goto(dashboardUrl(session.sandbox));
    await page.waitForSelector('#live.ok');
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  const afterPolls = (n: number) => morePolls(page, n);

  it('shows a streamed request in full: every event in order with its time, each partial image, the completed image', async () => {
    const stream = await sdk.images.edit({ model: 'gpt-image-1', image: await toFile(fixture('scene-512.png'), 'scene.png', { type: 'image/png' }), prompt: 'a streamed sunflower', quality: 'low', stream: true, partial_images: 2 });
    const received: string[] = [];
    for await (const event of stream) received.push(event.type);
    expect(received).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);

    const row = page.locator('#list li.row', { hasText: 'a streamed sunflower' });
    await row.locator('.status:has-text("200")').waitFor();
    expect(await row.locator('.tag').textContent()).toBe('stream');
    await row.locator('a').click();
    const events = page.locator('#detail ol.events li.event');
    await events.nth(2).waitFor();
    expect(await events.evaluateAll((items) => items.map((item) => item.getAttribute('data-event')))).toEqual(received);
    const offsets = await events.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-at-ms'))));
    expect(offsets.every((ms) => ms > 0)).toBe(true);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    expect(await events.locator('.at').allTextContents()).toEqual(offsets.map(() => expect.stringMatching(/^\+[\d.]+ m?s$/)));
    await events.locator('figure[data-loaded="true"]').nth(2).waitFor();
    expect(await events.locator('figure').evaluateAll((figures) => figures.map((f) => f.getAttribute('data-kind')))).toEqual(['partial', 'partial', 'output']);
    const sizes = await events.locator('figure img').evaluateAll((imgs) => imgs.map((img) => (img as unknown as DecodedImage).naturalWidth));
    expect(sizes).toEqual([1024, 1024, 1024]);
    expect(await events.locator('figcaption').allTextContents()).toEqual([expect.stringMatching(/^partial #0 · png · \d+ kB$/), expect.stringMatching(/^partial #1 · png · \d+ kB$/), expect.stringMatching(/^output #0 · png · \d+ kB$/)]);
    expect(await page.textContent('#detail h4:has-text("Stream")')).toBe('Stream: 3 events written, in order');
    expect(await page.textContent('#detail table.timing')).toMatch(/first event\+[\d.]+ mslast event\+[\d.]+ ms/);
  }, 60_000);

  it('lists a request held by the timeout scenario while it is held, then shows the 499 everywhere once the client gives up', async () => {
    await page.click('#f-clear');
    const giveUp = new AbortController();
    const form = new FormData();
    form.set('model', 'gpt-image-1');
    form.set('prompt', 'held by timeout');
    form.set('image', new Blob([fixture('scene-512.png')], { type: 'image/png' }), 'scene.png');
    const held = fetch(`${session.sandbox.url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, 'x-sandbox-scenario': 'timeout' }, body: form, signal: giveUp.signal }).catch((err: Error) => err.name);

    const row = page.locator('#list li.row', { hasText: 'held by timeout' });
    await row.locator('.status.busy:has-text("in flight")').waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-state')).toBe('in_flight');
    expect(await row.locator('.row-meta').textContent()).toContain('waiting');
    await row.locator('a').click();
    expect(await page.textContent('#detail .waiting')).toBe('In flight: no answer yet. This updates when the request ends.');
    expect(await page.textContent('#detail .detail-title .status')).toBe('in flight');
    await afterPolls(2); // still held, still listed as in flight
    expect(await row.getAttribute('data-state')).toBe('in_flight');

    giveUp.abort();
    expect(await held).toBe('AbortError');
    await row.locator('.status:has-text("499")').waitFor({ timeout: 10_000 });
    await page.locator('#detail .detail-title .status:has-text("499")').waitFor();
    expect(await page.textContent('#detail .response-status')).toBe('499 no headers reached the client');
    const error = JSON.parse((await page.textContent('#detail pre.error'))!) as { error: { status: number; code: string; message: string } };
    expect(error.error).toMatchObject({ status: 499, code: 'client_closed_request', message: expect.stringContaining('before the sandbox answered') });
    expect(await page.textContent('#detail .tag.scenario')).toBe('scenario timeout');
  }, 60_000);

  it('announces each new request once in a live region, and nothing while idle', async () => {
    await page.evaluate(`window.__announcements = []; new MutationObserver(() => window.__announcements.push(document.getElementById('announce').textContent)).observe(document.getElementById('announce'), { childList: true, characterData: true, subtree: true })`);
    await afterPolls(3);
    expect(await page.evaluate('window.__announcements')).toEqual([]);
    const id = await quickRequest(session.sandbox, { model: 'gpt-image-1', prompt: 'announce me' });
    await page.locator(`#list li.row[data-id="${id}"]`).waitFor();
    await afterPolls(3);
    expect(await page.evaluate('window.__announcements')).toEqual(['New request: 400 gpt-image-1, “announce me”']);
    expect(await page.getAttribute('#announce', 'aria-live')).toBe('polite');
    // The status line is not a live region: it would speak on every poll.
    expect(await page.getAttribute('#live', 'aria-live')).toBeNull();
    expect(await page.getAttribute('#live', 'role')).toBeNull();
  });

  it('loaded nothing from another origin and logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});

/**
 * The dashboard in a real browser: headless Chromium (spec/helpers/chromium.ts finds one)
 * driven by playwright-core loads /__sandbox/, sees an edit made by the official SDK appear
 * with its thumbnails, arms a scenario and sees the failure, then clears the journal. Nothing
 * it loads comes from another origin, and the page logs no errors (a CSP violation would be one).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import type { Page } from 'playwright-core';
import type { SandboxHandle } from '../../server/start-sandbox';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY, testSandbox } from '../helpers/test-sandbox';

// The few DOM shapes used inside page.evaluate (the project compiles without the DOM lib).
interface DecodedImage {
  naturalWidth: number;
  naturalHeight: number;
}
interface Canvas2d {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
/** Where the test leaves its screenshot, to look at the page by eye. */
export const SCREENSHOT = path.join(os.tmpdir(), 'image-edits-sandbox-dashboard.png');

describe('the dashboard in headless Chromium', () => {
  let sandbox: SandboxHandle;
  let sdk: OpenAI;
  let browser: LaunchedChromium;
  let page: Page;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    sandbox = await testSandbox();
    sdk = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    browser.context.on('request', (req) => {
      if (!req.url().startsWith(`${sandbox.url}/`) && !req.url().startsWith('blob:') && !req.url().startsWith('data:')) foreignRequests.push(req.url());
    });
    page = browser.page;
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`${message.text()} (${message.location().url})`);
    });
  }, 120_000); // the first run unpacks the bundled Chromium

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('shows "no requests yet" and goes live', async () => {
    await page.goto(`${sandbox.url}/__sandbox/`);
    await page.waitForSelector('#live.ok');
    expect(await page.isVisible('#empty')).toBe(true);
    expect(await page.textContent('#base-url')).toBe(`${sandbox.url}/v1`);
    expect(await page.locator('#scenario-name option').allTextContents()).toContain('rate_limit');
  });

  it('shows an SDK edit with its prompt, parameters, usage and every thumbnail', async () => {
    const { data: result, request_id: requestId } = await sdk.images
      .edit({
        model: 'gpt-image-1',
        image: await toFile(fixture('scene-512.png'), 'scene.png', { type: 'image/png' }),
        mask: await toFile(fixture('mask-512.png'), 'mask.png', { type: 'image/png' }),
        prompt: 'add a red rose',
        quality: 'low',
        n: 2,
      })
      .withResponse();
    expect(result.data).toHaveLength(2);

    const entry = page.locator(`article[data-id="${requestId}"]`);
    await entry.waitFor({ timeout: 5_000 }); // polled once a second
    await entry.locator('figure[data-kind="output"][data-loaded="true"]').nth(1).waitFor();
    await entry.locator('figure[data-kind="input"][data-loaded="true"]').waitFor();
    await entry.locator('figure[data-kind="mask"][data-loaded="true"]').waitFor();

    expect(await entry.locator('.status').textContent()).toBe('200');
    expect(await entry.locator('.model').textContent()).toBe('gpt-image-1');
    expect(await entry.locator('.prompt').textContent()).toBe('add a red rose');
    expect(await entry.locator('.chips.plan').textContent()).toContain('quality' + 'low');
    expect(await entry.locator('.timing').textContent()).toMatch(/^\d+ ms$/);
    const u = result.usage!;
    expect(await entry.locator('.usage').textContent()).toBe(
      `usage input ${u.input_tokens} (text ${u.input_tokens_details.text_tokens}, image ${u.input_tokens_details.image_tokens}) · output ${u.output_tokens} · total ${u.total_tokens}`,
    );

    // Every thumbnail is a decoded image: the input, both outputs, and the mask tinted over the input.
    const sizes = await entry.locator('figure img').evaluateAll((imgs) => imgs.map((img) => [(img as unknown as DecodedImage).naturalWidth, (img as unknown as DecodedImage).naturalHeight]));
    expect(sizes).toEqual([[512, 512], [1024, 1024], [1024, 1024]]);
    const tint = await entry.locator('figure[data-kind="mask"] canvas').evaluate((canvas) => {
      const c = canvas as unknown as Canvas2d;
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let tinted = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! - data[i + 1]! > 120 && data[i + 2]! - data[i + 1]! > 80) tinted++;
      return tinted / (data.length / 4);
    });
    expect(tint).toBeGreaterThan(0.02); // the mask's transparent area...
    expect(tint).toBeLessThan(0.98); // ...and only that
  }, 90_000);

  it('arms a scenario from its button and shows the failure, raw error included, newest first', async () => {
    await page.selectOption('#scenario-name', 'rate_limit');
    await page.fill('#scenario-times', '1');
    await page.click('#arm');
    await page.waitForSelector('#armed:has-text("rate_limit")');

    const failure = await sdk.images
      .edit({ model: 'gpt-image-1', image: await toFile(fixture('scene-512.png'), 'scene.png', { type: 'image/png' }), prompt: 'add a blue rose', quality: 'low' })
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);

    const newest = page.locator('article.entry').first();
    await newest.locator('.status:has-text("429")').waitFor({ timeout: 5_000 });
    expect(await newest.getAttribute('data-id')).toBe((failure as InstanceType<typeof OpenAI.RateLimitError>).requestID);
    expect(await newest.locator('.scenario').textContent()).toBe('scenario rate_limit');
    const error = JSON.parse((await newest.locator('pre.error').textContent())!) as { error: { status: number; code: string; type: string } };
    expect(error.error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    await page.waitForSelector('#armed', { state: 'hidden' });
    expect(await page.locator('article.entry').count()).toBe(2);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });

  it('shows a JSON edit of gpt-image-2 with its JSON tag, its loaded image and its output token details', async () => {
    const { data: result, request_id: requestId } = await sdk
      .post<OpenAI.ImagesResponse>('/images/edits', {
        body: { model: 'gpt-image-2', prompt: 'add a green rose', quality: 'low', size: '1536x864', images: [{ image_url: `data:image/png;base64,${fixture('scene-512.png').toString('base64')}` }] },
      })
      .withResponse();
    const entry = page.locator(`article[data-id="${requestId}"]`);
    await entry.waitFor({ timeout: 5_000 });
    await entry.locator('figure[data-kind="input"][data-loaded="true"]').waitFor();
    await entry.locator('figure[data-kind="output"][data-loaded="true"]').waitFor();
    expect(await entry.locator('.model').textContent()).toBe('gpt-image-2');
    expect(await entry.locator('.tag').allTextContents()).toContain('JSON');
    expect(await entry.locator('.usage').textContent()).toContain(`output ${result.usage!.output_tokens} (image ${result.usage!.output_tokens}, text 0)`);
  });

  it('clears the journal from its button', async () => {
    await page.click('#clear');
    await page.waitForSelector('article.entry', { state: 'detached', timeout: 5_000 });
    expect(await page.isVisible('#empty')).toBe(true);
    const res = await fetch(`${sandbox.url}/__sandbox/requests`);
    const body: unknown = await res.json();
    expectToMatchSpec({ status: res.status, body }, '/__sandbox/requests', 'get');
    expect(body).toEqual({ data: [], rev: expect.any(Number), removed: [] });
  });

  it('loaded nothing from another origin and logged no errors', () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

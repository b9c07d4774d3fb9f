/**
 * The dashboard in a real browser (headless Chromium, found by spec/helpers/chromium.ts):
 * an SDK edit appears in the list and opens in full (uploads, the mask drawn over, outputs
 * inline in the response body, usage, headers); hostile payloads stay text; the Controls tab
 * arms with `times` and `match`, disarms, sets the namespace's defaults, clears and resets,
 * each action ending in a message that clears itself; the Coverage tab shows the outcomes
 * received and never received, per namespace. Nothing comes from another origin and
 * the page logs no errors (a CSP violation would be one).
 */
import OpenAI, { toFile } from 'openai';
import type { Page } from 'playwright-core';
import { dashboardSession, dashboardUrl, expectListed, quickRequest, type DashboardSession } from '../helpers/dashboard-page';
import { postEdit } from '../helpers/edit-request';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY } from '../helpers/test-sandbox';

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

describe('the dashboard in headless Chromium', () => {
  let session: DashboardSession;
  let page: Page;
  let sdk: OpenAI;
  const image = async () => toFile(fixture('scene-512.png'), 'scene.png', { type: 'image/png' });

  beforeAll(async () => {
    session = await dashboardSession();
    page = session.page;
    sdk = new OpenAI({ apiKey: TEST_KEY, baseURL: `${session.sandbox.url}/v1`, maxRetries: 0 });
  }, 120_000); // the first run unpacks the bundled Chromium

  afterAll(async () => {
    await session?.close();
  });

  /** Opens the Controls tab. */
  const controlsTab = () => page.click('#tab-controls');
  const requestsTab = () => page.click('#tab-requests');
  /** The confirmation an action shows, once it appears. */
  const message = async () => (await page.waitForSelector('#message:not([hidden])')).textContent();
  const failure = async () => (await page.waitForSelector('#failure:not([hidden])')).textContent();

  it('says there are no requests yet, and goes live', async () => {
    await page.goto(dashboardUrl(session.sandbox));
    await page.waitForSelector('#live.ok');
    expect(await page.isVisible('#empty')).toBe(true);
    expect(await page.textContent('#base-url')).toBe(`${session.sandbox.url}/v1`);
    expect(await page.textContent('#count')).toBe('0 requests');
  });

  it('lists an SDK edit and shows it in full: fields, resolved plan, uploads with the mask over, outputs inline in the body, usage, headers', async () => {
    const { data: result, request_id: requestId } = await sdk.images
      .edit({ model: 'gpt-image-1', image: await image(), mask: await toFile(fixture('mask-512.png'), 'mask.png', { type: 'image/png' }), prompt: 'add a red rose', quality: 'low', n: 2 })
      .withResponse();
    expect(result.data).toHaveLength(2);
    await expectListed(page, [requestId!]);
    const row = page.locator(`#list li.row[data-id="${requestId}"]`);
    await row.locator('.status:has-text("200")').waitFor(); // in flight until its response closed
    expect(await row.locator('.row-prompt').textContent()).toBe('add a red rose');

    await row.locator('a').click();
    expect(new URL(page.url()).searchParams.get('id')).toBe(requestId);
    const detail = page.locator('#detail');
    await detail.locator('h2:has-text("gpt-image-1")').waitFor();
    expect(await detail.locator('.detail-title .status').textContent()).toBe('200');
    expect(await detail.locator('blockquote.prompt').textContent()).toBe('add a red rose');
    expect(await detail.locator('table.plan').textContent()).toContain('quality' + 'low');
    expect(await detail.locator('table.fields').textContent()).toContain('n' + '2');
    await detail.locator('pre.body figure[data-kind="output"][data-loaded="true"]').nth(1).waitFor();
    await detail.locator('figure[data-kind="input"][data-loaded="true"]').waitFor();
    await detail.locator('figure[data-kind="mask"][data-loaded="true"]').waitFor();

    // The body as the client got it, each image drawn where its base64 was.
    const body = (await detail.locator('pre.body').textContent())!;
    expect(body).toContain('"b64_json": ');
    expect(body).toContain(`"created": ${result.created}`);
    const sizes = await detail.locator('figure img').evaluateAll((imgs) => imgs.map((img) => [(img as unknown as DecodedImage).naturalWidth, (img as unknown as DecodedImage).naturalHeight]));
    expect(sizes).toEqual([[512, 512], [1024, 1024], [1024, 1024]]);
    const tint = await detail.locator('figure[data-kind="mask"] canvas').evaluate((canvas) => {
      const c = canvas as unknown as Canvas2d;
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let tinted = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! - data[i + 1]! > 120 && data[i + 2]! - data[i + 1]! > 80) tinted++;
      return tinted / (data.length / 4);
    });
    expect(tint).toBeGreaterThan(0.02); // the mask's transparent area...
    expect(tint).toBeLessThan(0.98); // ...and only that
    const u = result.usage!;
    expect(await detail.locator('.usage').textContent()).toBe(
      `input ${u.input_tokens} (text ${u.input_tokens_details.text_tokens}, image ${u.input_tokens_details.image_tokens}) · output ${u.output_tokens} · total ${u.total_tokens}`,
    );
    expect(await detail.locator('table.response-headers').textContent()).toContain(`x-request-id${requestId}`);
    expect(await detail.locator('table.timing').textContent()).toMatch(/^arrived.*duration[\d.]+ ms/);
  }, 90_000);

  it('shows a JSON edit of gpt-image-2 with its JSON tag, its loaded image and its output token details', async () => {
    const { data: result, request_id: requestId } = await sdk
      .post<OpenAI.ImagesResponse>('/images/edits', {
        body: { model: 'gpt-image-2', prompt: 'add a green rose', quality: 'low', size: '1536x864', images: [{ image_url: `data:image/png;base64,${fixture('scene-512.png').toString('base64')}` }] },
      })
      .withResponse();
    const row = page.locator(`#list li.row[data-id="${requestId}"]`);
    await row.locator('.status:has-text("200")').waitFor({ timeout: 10_000 });
    expect(await row.locator('.tag').allTextContents()).toContain('JSON');
    await row.locator('a').click();
    const detail = page.locator('#detail');
    await detail.locator('h2:has-text("gpt-image-2")').waitFor();
    await detail.locator('figure[data-kind="input"][data-loaded="true"]').waitFor();
    expect(await detail.locator('.tag').allTextContents()).toContain('JSON');
    expect(await detail.locator('.usage').textContent()).toContain(`output ${result.usage!.output_tokens} (image ${result.usage!.output_tokens}, text 0)`);
  });

  it('keeps every payload as text: prompts, filenames and header values cannot inject markup', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const filename = '<img src=x onerror=window.__pwned=3>.png';
    const res = await postEdit(session.sandbox.url, { prompt: hostile, model: `<b id="model-b">m</b>`, size: '7x7' }, [{ name: filename, bytes: fixture('scene-512.png'), contentType: 'image/png' }]).set('user-agent', '<b id="ua-b">agent</b>');
    const id = String(res.headers['x-request-id']);
    await page.locator(`#list li.row[data-id="${id}"] a`).click();
    await page.locator('#detail blockquote.prompt').waitFor();
    expect(await page.textContent('#detail blockquote.prompt')).toBe(hostile);
    expect(await page.textContent('#detail figure[data-kind="input"] figcaption')).toContain(filename);
    expect(await page.locator('#list li.row').first().locator('.row-prompt').textContent()).toBe(hostile);
    expect(await page.textContent('#detail table.request-headers')).toContain('<b id="ua-b">agent</b>');
    expect(await page.locator('img[src="x"], #model-b, #ua-b, svg').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  });

  it('arms a scenario with times and match, and shows what the failing request received, retry headers included', async () => {
    await controlsTab();
    await page.selectOption('#arm-scenario', 'rate_limit');
    await page.fill('#arm-times', '2');
    await page.fill('#arm-model', 'gpt-image-1');
    await page.fill('#arm-prompt', 'blue');
    await page.click('#arm');
    expect(await message()).toBe('Armed rate_limit for the next 2 requests in default matching model = "gpt-image-1", prompt ∋ "blue".');
    await page.waitForSelector('#armed-list li:has-text("rate_limit · 2 of 2 left")');
    expect(await page.textContent('#armed')).toBe('Armed in default: rate_limit ×2');
    // The confirmation clears itself.
    await page.waitForSelector('#message', { state: 'hidden', timeout: 15_000 });

    const failure429 = await sdk.images.edit({ model: 'gpt-image-1', image: await image(), prompt: 'a blue rose', quality: 'low' }).catch((err: unknown) => err);
    expect(failure429).toBeInstanceOf(OpenAI.RateLimitError);
    const unmatched = await quickRequest(session.sandbox, { model: 'gpt-image-1', prompt: 'a red rose' });
    await requestsTab();
    const failedId = (failure429 as InstanceType<typeof OpenAI.RateLimitError>).requestID!;
    await page.locator(`#list li.row[data-id="${unmatched}"] .status:has-text("400")`).waitFor();
    await page.locator(`#list li.row[data-id="${failedId}"] a`).click();
    const detail = page.locator('#detail');
    await detail.locator('.detail-title .status:has-text("429")').waitFor();
    expect(await detail.locator('.tag.scenario').textContent()).toBe('scenario rate_limit');
    const headers = (await detail.locator('table.response-headers').textContent())!;
    expect(headers).toContain('retry-after1');
    expect(headers).toContain('retry-after-ms500');
    expect(headers).toContain('x-ratelimit-remaining-requests0');
    const error = JSON.parse((await detail.locator('pre.error').textContent())!) as { error: { status: number; code: string } };
    expect(error.error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(JSON.parse((await detail.locator('pre.body').textContent())!)).toMatchObject({ error: { code: 'rate_limit_exceeded' } });

    await controlsTab();
    await page.waitForSelector('#armed-list li:has-text("rate_limit · 1 of 2 left")');
    await page.click('#disarm');
    expect(await message()).toBe('Disarmed 1 scenario in default.');
    expect(await session.sandbox.namespace().armed()).toEqual([]);
    await page.waitForSelector('#armed', { state: 'hidden' });
  }, 60_000);

  it("sets the namespace's default latency, and shows a refused value as a failure that clears too", async () => {
    await controlsTab();
    await page.fill('#set-latency', '5');
    await page.click('#save-settings');
    expect(await message()).toBe("Defaults of default: latency 5 ms, seed the sandbox's own.");
    expect(await session.sandbox.namespace().settings()).toMatchObject({ latencyMs: 5 });

    await page.fill('#set-latency', '99999999');
    await page.click('#save-settings');
    expect(await failure()).toMatch(/^Could not save the defaults: 400: Invalid 'latency_ms': expected an integer from 0 to \d+/);
    expect(await page.isHidden('#message')).toBe(true);
    await page.waitForSelector('#failure', { state: 'hidden', timeout: 15_000 });

    await page.fill('#set-latency', '');
    await page.click('#save-settings');
    expect(await message()).toBe("Defaults of default: latency the sandbox's own, seed the sandbox's own.");
    expect(await session.sandbox.namespace().settings()).toMatchObject({ latencyMs: null });
  }, 60_000); // waits out the failure's 6 s display

  it('clears one namespace, resets another and then all, and the list follows', async () => {
    const w1 = await quickRequest(session.sandbox, { prompt: 'in w1' }, { 'x-sandbox-namespace': 'w1' });
    const w2 = await quickRequest(session.sandbox, { prompt: 'in w2' }, { 'x-sandbox-namespace': 'w2' });
    await controlsTab();
    await page.fill('#ctl-ns', 'default');
    await page.click('#clear');
    expect(await message()).toMatch(/^Cleared \d+ requests from default\.$/);
    await requestsTab();
    await expectListed(page, [w2, w1]);

    await controlsTab();
    await page.fill('#ctl-ns', 'w1');
    await page.click('#reset');
    expect(await message()).toBe('Reset w1: journal, armed scenarios, url files, defaults and coverage.');
    await requestsTab();
    await expectListed(page, [w2]);

    await controlsTab();
    await page.click('#reset-all');
    expect(await message()).toBe('Reset every namespace.');
    await requestsTab();
    await expectListed(page, []);
    expect(await page.isVisible('#empty')).toBe(true);
  });

  it('shows outcome coverage: what was received and what never, for every namespace and for one', async () => {
    await sdk.images.edit({ model: 'gpt-image-1', image: await image(), prompt: 'covered', quality: 'low' }, { headers: { 'x-sandbox-namespace': 'cov' } });
    const { total } = (await (await fetch(`${session.sandbox.url}/__sandbox/coverage`)).json()) as { total: number };
    await page.click('#tab-coverage');
    await page.waitForSelector(`#cov-summary:has-text("Every namespace: 1 of ${total} outcomes received")`);
    const hit = page.locator('#cov-outcomes li.outcome.hit');
    expect(await hit.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-outcome')))).toEqual(['success:gpt-image:multipart:b64_json']);
    expect(await hit.locator('.outcome-mark').textContent()).toBe('×1');
    expect(await page.locator('#cov-outcomes li.outcome.miss').count()).toBe(total - 1);
    expect(await page.locator('#cov-namespaces tr[data-namespace="cov"] td').allTextContents()).toEqual(['1', String(total - 1), `${((1 / total) * 100).toFixed(1)}%`]);

    await page.click('#cov-namespaces button[data-pick="cov"]');
    await page.waitForSelector(`#cov-summary:has-text("Namespace cov: 1 of ${total} outcomes received")`);
    await page.fill('#cov-ns', 'default');
    await page.click('#cov-refresh');
    await page.waitForSelector(`#cov-summary:has-text("Namespace default: 0 of ${total} outcomes received")`);
    expect(await page.locator('#cov-outcomes li.outcome.hit').count()).toBe(0);
    await page.fill('#cov-ns', 'cov');
    await page.check('#cov-missing');
    await page.waitForSelector('#cov-summary:has-text("Namespace cov: 1 of")');
    expect(await page.locator('#cov-outcomes li.outcome').count()).toBe(total - 1);
    expect(await page.locator('#cov-outcomes li.outcome.hit').count()).toBe(0);
    await requestsTab();
  });

  it('loaded nothing from another origin and logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});

/**
 * The dashboard's layout and access, in headless Chromium with 1,000 requests in the journal:
 * no horizontal overflow at 360 px (list, detail, controls, with hostile long content); text
 * contrast measured on the rendered page in light and dark (WCAG AA: 4.5:1, 3:1 for large
 * text and control borders); every part reachable from the keyboard; the list's DOM capped
 * while filtering still covers every entry; and the network cost of an idle minute of page
 * time, counted request by request (a figure the README quotes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import type { Page } from 'playwright-core';
import { dashboardSession, dashboardUrl, manyRequests, morePolls, quickRequest, type DashboardSession } from '../helpers/dashboard-page';
import { postEdit } from '../helpers/edit-request';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY } from '../helpers/test-sandbox';

/** Where the idle-minute figure is written, for the README. */
export const IDLE_FIGURE = path.join(os.tmpdir(), 'image-edits-sandbox-dashboard-idle-minute.json');
const ENTRIES = 1000;

/**
 * Run in the page: every visible text (and form control) whose contrast with the background
 * behind it is below WCAG AA, and how many were measured. Colours are composited over the
 * opaque backgrounds behind them, as they are drawn.
 */
const CONTRAST_FAILURES = `(() => {
  const parse = (c) => { const m = /rgba?\\(([^)]+)\\)/.exec(c); if (!m) return null; const [r, g, b, a = 1] = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number); return { r, g, b, a }; };
  const over = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 });
  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (x, y) => { const [hi, lo] = [lum(x), lum(y)].sort((p, q) => q - p); return (hi + 0.05) / (lo + 0.05); };
  const backgroundOf = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } }
    return layers.reverse().reduce((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
  };
  const shown = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && el.getBoundingClientRect().width > 0 && !el.closest('.visually-hidden');
  const failures = [];
  let measured = 0;
  const check = (el, color, what, need) => {
    const bg = backgroundOf(el);
    const value = ratio(over(parse(color), bg), bg);
    measured++;
    if (value < need) failures.push({ what: what.slice(0, 50), class: String(el.className), ratio: Math.round(value * 100) / 100, need });
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('option, datalist, script') || !shown(el)) continue;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
    check(el, style.color, node.textContent.trim(), large ? 3 : 4.5);
  }
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, button:not(:disabled)')) {
    if (!shown(el)) continue;
    const style = getComputedStyle(el);
    if (el.tagName !== 'BUTTON') check(el, el.value ? style.color : getComputedStyle(el, '::placeholder').color, '#' + el.id + ' text', 4.5);
    if (parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== 'none' && el.parentElement) check(el.parentElement, style.borderTopColor, '#' + el.id + ' border', 3);
  }
  return { measured, failures };
})()`;

/** Run in the page: elements that stick out to the right of the viewport without a clipping ancestor. */
const OVERFLOW = `(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.right <= width + 0.5) continue;
    let clipped = false;
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== 'visible' && e.getBoundingClientRect().right <= width + 0.5) { clipped = true; break; }
    }
    if (!clipped) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + String(el.className).replace(/ /g, '.') + ' right=' + Math.round(rect.right));
  }
  return { scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 10) };
})()`;

describe('the dashboard layout and access, with 1,000 requests', () => {
  let session: DashboardSession;
  let page: Page;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    session = await dashboardSession({ sandbox: { journalSize: ENTRIES + 100, maxLatencyMs: 60_000 }, browser: { viewport: { width: 360, height: 740 } } });
    page = session.page;
    const { sandbox } = session;
    // 1,000 requests with 200-character prompts.
    await manyRequests(sandbox, ENTRIES - 10, (i) => ({ model: 'gpt-image-1', prompt: `prompt-${String(i).padStart(4, '0')} ${'a rose in a vase '.repeat(12)}` }));
    // Hostile long content: a prompt and a filename without spaces, a very long header value.
    const long = await postEdit(sandbox.url, { model: 'gpt-image-1', prompt: 'unbroken'.repeat(400), size: '7x7' }, [{ name: `${'f'.repeat(240)}.png`, bytes: fixture('scene-512.png'), contentType: 'image/png' }]).set('user-agent', `agent/${'u'.repeat(600)}`);
    ids.long = String(long.headers['x-request-id']);
    ids.limited = await quickRequest(sandbox, { model: 'gpt-image-1', prompt: 'limited' }, { 'x-sandbox-scenario': 'rate_limit' });
    ids.failed = await quickRequest(sandbox, { model: 'gpt-image-1', prompt: 'failed' }, { 'x-sandbox-scenario': 'server_error' });
    const sdk = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
    const stream = await sdk.images.edit({ model: 'gpt-image-1', image: await toFile(fixture('scene-512.png'), 'scene.png', { type: 'image/png' }), prompt: 'a streamed sunflower', quality: 'low', stream: true, partial_images: 2 }).withResponse();
    for await (const _event of stream.data) void _event;
    ids.stream = stream.request_id!;
    for (let i = 0; i < 6; i++) await quickRequest(sandbox, { model: 'dall-e-2', prompt: `filler ${i}` });
  }, 240_000);

  afterAll(async () => {
    await session?.close();
  });

  const expectNoOverflow = async (what: string) => {
    const result = (await page.evaluate(OVERFLOW)) as { scrollWidth: number; width: number; out: string[] };
    expect({ what, ...result }).toEqual({ what, scrollWidth: result.width, width: 360, out: [] });
  };

  it('keeps 1,000 requests in a capped list, and the filter still searches all of them', async () => {
    await page.goto(dashboardUrl(session.sandbox));
    await page.waitForSelector(`#count:has-text("${ENTRIES} requests")`, { timeout: 30_000 });
    expect(await page.locator('#list li.row').count()).toBe(100);
    expect(await page.textContent('#more')).toBe(`Show 100 more (${ENTRIES - 100} not shown)`);
    await page.click('#filter-box summary');
    await page.fill('#f-q', 'prompt-0007 ');
    await page.waitForSelector(`#count:has-text("1 of ${ENTRIES} requests")`);
    expect(await page.locator('#list li.row .row-prompt').allTextContents()).toEqual([expect.stringMatching(/^prompt-0007 /)]);
    await page.click('#f-clear');
    await page.click('#more');
    expect(await page.locator('#list li.row').count()).toBe(200);
  }, 60_000);

  it('fits 360 px without horizontal overflow: list, detail and controls, long unbroken content included', async () => {
    await page.goto(dashboardUrl(session.sandbox));
    await page.waitForSelector('#list li.row');
    expect(await page.getAttribute('#filter-box', 'open')).toBeNull(); // folded away on a narrow screen
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.top')).position`)).toBe('static');
    expect(await page.evaluate(`document.querySelector('#list li.row').getBoundingClientRect().top`)).toBeLessThan(200);
    await expectNoOverflow('list');
    await page.click('#filter-box summary');
    await expectNoOverflow('list with filters open');

    for (const id of [ids.long!, ids.stream!]) {
      await page.goto(dashboardUrl(session.sandbox, `?id=${id}`));
      await page.waitForSelector('#detail .detail-head');
      expect(await page.isVisible('#detail .back')).toBe(true);
      expect(await page.isHidden('.list-pane')).toBe(true);
      await page.evaluate(`document.querySelectorAll('#detail details').forEach((d) => (d.open = true))`);
      await page.locator('#detail figure[data-loaded="true"]').first().waitFor();
      await expectNoOverflow(`detail of ${id}`);
    }
    await page.click('#detail .back');
    await page.waitForSelector('.list-pane', { state: 'visible' });

    await page.click('#tab-controls');
    await page.waitForSelector('#arm-scenario option', { state: 'attached' });
    await expectNoOverflow('controls');
    await page.click('#tab-requests');
  }, 60_000);

  it.each(['light', 'dark'] as const)('meets WCAG AA contrast in %s mode, measured on the rendered page', async (scheme) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    const giveUp = new AbortController();
    const held = fetch(`${session.sandbox.url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, 'x-sandbox-scenario': 'timeout', 'content-type': 'application/json' }, body: '{"prompt":"held","model":"gpt-image-1"}', signal: giveUp.signal }).catch(() => undefined);
    const measured: number[] = [];
    const failures: unknown[] = [];
    const measure = async (view: string) => {
      const result = (await page.evaluate(CONTRAST_FAILURES)) as { measured: number; failures: unknown[] };
      measured.push(result.measured);
      failures.push(...result.failures.map((f) => ({ view, ...(f as object) })));
    };
    for (const id of [ids.limited!, ids.failed!, ids.stream!]) {
      await page.goto(dashboardUrl(session.sandbox, `?id=${id}`));
      await page.waitForSelector('#detail .detail-head');
      await page.waitForSelector('#list li.row .status.busy'); // the held request: every badge colour at once
      await page.fill('#f-q', 'x'); // a value and placeholders in the filter bar
      await page.fill('#f-q', '');
      await page.evaluate(`document.querySelectorAll('#detail details').forEach((d) => (d.open = true))`);
      await measure(`detail of ${id}`);
    }
    await page.click('#tab-controls');
    await page.waitForSelector('#arm-scenario option', { state: 'attached' });
    await page.fill('#set-latency', '99999999');
    await page.click('#save-settings');
    await page.waitForSelector('#failure:not([hidden])');
    await measure('controls with a failure');
    await page.fill('#ctl-ns', 'nobody');
    await page.click('#clear');
    await page.waitForSelector('#message:not([hidden])');
    await measure('controls with a confirmation');
    await page.click('#tab-requests');
    expect(failures).toEqual([]);
    expect(Math.min(...measured)).toBeGreaterThan(40);
    await page.emulateMedia({ colorScheme: null });
    await page.setViewportSize({ width: 360, height: 740 });
    giveUp.abort();
    await held;
  }, 60_000);

  it('is usable from the keyboard: skip link, arrow keys through the list, Enter to open, tabs with arrows, every control reachable', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(dashboardUrl(session.sandbox));
    await page.waitForSelector('#list li.row');
    const focused = () => page.evaluate(`(() => { const e = document.activeElement; return e.id || e.closest('li.row')?.dataset.id || e.textContent.trim(); })()`);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to the requests');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('list');
    const rows = await page.locator('#list li.row').evaluateAll((items) => items.slice(0, 2).map((item) => item.getAttribute('data-id')));
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(rows[0]);
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(rows[1]);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#detail code.id:has-text("${rows[1]}")`);
    expect(new URL(page.url()).searchParams.get('id')).toBe(rows[1]);
    expect(await focused()).toBe('detail');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Permalink');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Copy as curl');

    await page.focus('#tab-requests');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('tab-controls');
    expect(await page.getAttribute('#tab-controls', 'aria-selected')).toBe('true');
    expect(await page.isVisible('#panel-controls')).toBe(true);
    const reached: string[] = [];
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press('Tab');
      reached.push(String(await focused()));
    }
    expect(reached).toEqual(expect.arrayContaining(['ctl-ns', 'arm-scenario', 'arm-times', 'arm-model', 'arm-prompt', 'arm', 'set-latency', 'set-seed', 'save-settings', 'clear', 'reset', 'reset-all']));
    await page.keyboard.press('Shift+Tab');
    await page.focus('#tab-controls');
    await page.keyboard.press('ArrowLeft');
    expect(await page.isVisible('#panel-requests')).toBe(true);
    await page.setViewportSize({ width: 360, height: 740 });
  });

  it('costs little on the network for an idle minute of page time: only what changed, never the whole journal', async () => {
    const idle = await session.browser.context.newPage();
    await idle.clock.install();
    const traffic: Promise<{ url: string; bytes: number }>[] = [];
    idle.on('requestfinished', (req) => {
      traffic.push(req.sizes().then((s) => ({ url: req.url(), bytes: s.requestHeadersSize + s.requestBodySize + s.responseHeadersSize + s.responseBodySize })));
    });
    await idle.goto(dashboardUrl(session.sandbox));
    await idle.waitForSelector('#live.ok');
    // From here page time stands still but for the test's runFor: one poll timer per second of it.
    await idle.clock.pauseAt(Date.now() + 60_000);
    await morePolls(idle, 1, () => idle.clock.runFor(1000));
    const start = (await Promise.all(traffic.splice(0))).filter((t) => /\/__sandbox\/requests\?namespace=\*$/.test(t.url));
    expect(start).toHaveLength(1);
    const firstRead = start[0]!.bytes;

    for (let second = 0; second < 60; second++) await morePolls(idle, 1, () => idle.clock.runFor(1000));
    const minute = await Promise.all(traffic.splice(0));
    const paths = minute.map((t) => new URL(t.url).pathname + new URL(t.url).search.replace(/since=\d+/, 'since=N'));
    expect(new Set(paths)).toEqual(new Set(['/__sandbox/requests?namespace=*&since=N', '/__sandbox/scenarios?namespace=default']));
    const bytes = minute.reduce((sum, t) => sum + t.bytes, 0);
    const figure = { entries: (await idle.textContent('#count'))!, firstReadBytes: firstRead, idleMinute: { requests: minute.length, bytes, perPoll: Math.round(bytes / minute.length) } };
    fs.writeFileSync(IDLE_FIGURE, JSON.stringify(figure, null, 2));
    console.info(`dashboard, idle minute with ${figure.entries}: ${figure.idleMinute.requests} requests, ${(bytes / 1024).toFixed(1)} kB (first read ${(firstRead / 1024 / 1024).toFixed(2)} MB)`);
    expect(minute.length).toBeLessThanOrEqual(60 + 12);
    expect(bytes).toBeLessThan(100 * 1024); // a whole read is > 1 MB
    expect(firstRead).toBeGreaterThan(1024 * 1024);
    await idle.close();
  }, 120_000);

  it('loaded nothing from another origin and logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});

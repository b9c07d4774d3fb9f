/**
 * The dashboard of a sandbox started with SANDBOX_ADMIN_TOKEN, in headless Chromium with the
 * page's clock under the test's control: it asks for the token and sends nothing while it has
 * none (a minute of page time, not one request), says when a token is refused, shows the
 * journal and its images once signed in, stops again when signed out, and takes `#token=`
 * from the address without a reload.
 */
import OpenAI, { toFile } from 'openai';
import type { Page } from 'playwright-core';
import { dashboardSession, dashboardUrl, expectListed, morePolls, type DashboardSession } from '../helpers/dashboard-page';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY } from '../helpers/test-sandbox';

const TOKEN = 'admin-secret-0123';

describe('the dashboard of a sandbox locked by an admin token', () => {
  let session: DashboardSession;
  let page: Page;
  let requestId: string;
  /** Calls the page made to the control surface (its own files aside), with their authorization. */
  const calls: { url: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    session = await dashboardSession({ sandbox: { adminToken: TOKEN } });
    page = session.page;
    const sdk = new OpenAI({ apiKey: TEST_KEY, baseURL: `${session.sandbox.url}/v1`, maxRetries: 0 });
    requestId = (await sdk.images.edit({ model: 'gpt-image-1', image: await toFile(fixture('scene-512.png'), 'scene.png', { type: 'image/png' }), prompt: 'a locked rose', quality: 'low' }).withResponse()).request_id!;
    page.on('request', (req) => {
      const { pathname } = new URL(req.url());
      if (pathname.startsWith('/__sandbox/') && pathname !== '/__sandbox/' && !pathname.startsWith('/__sandbox/dashboard/')) calls.push({ url: pathname, authorization: req.headers().authorization });
    });
    // Page time stands still but for the test's runFor.
    await page.clock.install();
    await page.clock.pauseAt(Date.now() + 1000);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('asks for the token, and sends nothing for a minute while it has none', async () => {
    await page.goto(dashboardUrl(session.sandbox));
    await page.waitForSelector('#signin:not([hidden])');
    expect(await page.isHidden('#main')).toBe(true);
    expect(await page.textContent('#live')).toBe('signed out: the admin token is needed');
    const before = calls.length;
    expect(before).toBeGreaterThan(0); // the one read that learnt a token is needed
    await page.clock.runFor(60_000);
    expect(calls.slice(before)).toEqual([]);
  });

  it('says when a token is refused, and still sends nothing', async () => {
    await page.fill('#signin-token', 'not-the-token');
    await page.click('#signin button[type="submit"]');
    await page.waitForSelector('#signin-why:has-text("The sandbox refused that token.")');
    const before = calls.length;
    await page.clock.runFor(30_000);
    expect(calls.slice(before)).toEqual([]);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('shows the journal once signed in, its images fetched with the token, and polls with it', async () => {
    await page.fill('#signin-token', TOKEN);
    await page.click('#signin button[type="submit"]');
    await expectListed(page, [requestId]);
    expect(await page.isVisible('#sign-out')).toBe(true);
    await page.locator(`#list li.row[data-id="${requestId}"] a`).click();
    const input = page.locator('#detail figure[data-kind="input"][data-loaded="true"]');
    await input.waitFor();
    expect(await input.locator('img').getAttribute('src')).toMatch(/^blob:/);
    expect(await input.locator('a').getAttribute('href')).toMatch(/^blob:/); // a new tab would not send the token
    await page.locator('#detail pre.body figure[data-kind="output"][data-loaded="true"]').waitFor();
    expect(await page.textContent('#detail pre[data-snippet="curl"]')).toContain('-H "Authorization: Bearer $SANDBOX_ADMIN_TOKEN"');

    const before = calls.length;
    for (let second = 0; second < 3; second++) await morePolls(page, 1, () => page.clock.runFor(1000));
    const polled = calls.slice(before);
    expect(polled.length).toBeGreaterThan(0);
    expect(polled.every((call) => call.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(page.url()).not.toContain(TOKEN);
  });

  it('stops when signed out: the sign-in box again, and nothing sent', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#signin:not([hidden])');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await page.locator('#list li.row').count()).toBe(0);
    const before = calls.length;
    await page.clock.runFor(60_000);
    expect(calls.slice(before)).toEqual([]);
  });

  it('takes #token= from the address without a reload, and leaves it out of the address', async () => {
    await page.evaluate('window.__sameDocument = true');
    await page.evaluate(`location.hash = '#token=${TOKEN}'`);
    await expectListed(page, [requestId]);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(page.url()).not.toContain('token');
    expect(await page.isHidden('#signin')).toBe(true);
  });

  it('loaded nothing from another origin and logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});

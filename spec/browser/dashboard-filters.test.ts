/**
 * The list's filter in headless Chromium: each field (namespace, status class, model, stream,
 * scenario, free text over prompt and request id, time range) narrows the list to exactly the
 * matching requests; the filter lives in the address, so a reload or a shared link shows the
 * same list; each request has a permalink that opens it in full.
 */
import type { Page } from 'playwright-core';
import type { JournalEntry } from '../../server/stores/journal-record';
import { dashboardSession, dashboardUrl, expectListed, quickRequest, type DashboardSession } from '../helpers/dashboard-page';
import { postEdit } from '../helpers/edit-request';
import { fixture } from '../helpers/fixtures';

describe('filtering the dashboard list', () => {
  let session: DashboardSession;
  let page: Page;
  /** The requests, by name. */
  const ids: Record<string, string> = {};
  let times: Record<string, string>;
  /** Newest first, as the list shows them. */
  const listed = (...names: string[]) => names.map((name) => ids[name]!);

  beforeAll(async () => {
    session = await dashboardSession();
    page = session.page;
    const { sandbox } = session;
    ids.alpha = await quickRequest(sandbox, { model: 'gpt-image-1', prompt: 'alpha rose' });
    ids.beta = await quickRequest(sandbox, { model: 'dall-e-2', prompt: 'beta tulip' }, { 'x-sandbox-namespace': 'w1' });
    ids.gamma = await quickRequest(sandbox, { model: 'gpt-image-1', prompt: 'gamma rose' }, { 'x-sandbox-namespace': 'w1', 'x-sandbox-scenario': 'rate_limit' });
    ids.delta = await quickRequest(sandbox, { model: 'gpt-image-1', prompt: 'delta lily', stream: 'true' });
    ids.epsilon = await quickRequest(sandbox, { model: 'gpt-image-1', prompt: 'epsilon' }, { 'x-sandbox-scenario': 'server_error' });
    const ok = await postEdit(sandbox.url, { model: 'dall-e-2', size: '256x256', prompt: 'zeta daisy' }, [{ name: 'scene-rgba-256.png', bytes: fixture('scene-rgba-256.png') }]);
    expect(ok.status).toBe(200);
    ids.zeta = String(ok.headers['x-request-id']);
    const entries = ((await (await fetch(`${sandbox.url}/__sandbox/requests?namespace=*`)).json()) as { data: JournalEntry[] }).data;
    times = Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, entries.find((e) => e.id === id)!.time]));
    expect(entries.map((e) => e.status)).toEqual([400, 400, 429, 400, 500, 200]);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  const everything = () => listed('zeta', 'epsilon', 'delta', 'gamma', 'beta', 'alpha');
  const address = () => Object.fromEntries(new URL(page.url()).searchParams);

  it('shows every request, newest first, with nothing filtered', async () => {
    await page.goto(dashboardUrl(session.sandbox));
    await expectListed(page, everything());
    expect(await page.textContent('#count')).toBe('6 requests');
  });

  it.each([
    { field: 'namespace', control: '#f-ns', value: 'w1', param: 'ns', names: ['gamma', 'beta'] },
    { field: 'status class 4xx', control: '#f-status', value: '4xx', param: 'status', names: ['delta', 'gamma', 'beta', 'alpha'] },
    { field: 'status class 5xx', control: '#f-status', value: '5xx', param: 'status', names: ['epsilon'] },
    { field: 'status class 2xx', control: '#f-status', value: '2xx', param: 'status', names: ['zeta'] },
    { field: 'model', control: '#f-model', value: 'dall-e-2', param: 'model', names: ['zeta', 'beta'] },
    { field: 'stream', control: '#f-stream', value: 'yes', param: 'stream', names: ['delta'] },
    { field: 'no stream', control: '#f-stream', value: 'no', param: 'stream', names: ['zeta', 'epsilon', 'gamma', 'beta', 'alpha'] },
    { field: 'a named scenario', control: '#f-scenario', value: 'rate_limit', param: 'scenario', names: ['gamma'] },
    { field: 'any scenario', control: '#f-scenario', value: 'any', param: 'scenario', names: ['epsilon', 'gamma'] },
    { field: 'no scenario', control: '#f-scenario', value: 'none', param: 'scenario', names: ['zeta', 'delta', 'beta', 'alpha'] },
  ])('narrows the list by $field, and keeps it in the address', async ({ control, value, param, names }) => {
    await page.selectOption(control, { value });
    await expectListed(page, listed(...names));
    expect(address()).toEqual({ [param]: value });
    expect(await page.textContent('#count')).toBe(`${names.length} of 6 requests`);
    await page.click('#f-clear');
    await expectListed(page, everything());
    expect(address()).toEqual({});
  });

  it('searches prompts and request ids, case-insensitively', async () => {
    await page.fill('#f-q', 'ROSE');
    await expectListed(page, listed('gamma', 'alpha'));
    expect(address()).toEqual({ q: 'ROSE' });
    await page.fill('#f-q', ids.beta!.slice(8, 20));
    await expectListed(page, listed('beta'));
    await page.click('#f-clear');
  });

  it('narrows by time: a range from the address to the millisecond, or picked to the second', async () => {
    await page.goto(dashboardUrl(session.sandbox, `?from=${encodeURIComponent(times.beta!)}&to=${encodeURIComponent(times.delta!)}`));
    await expectListed(page, listed('delta', 'gamma', 'beta'));
    const from = new Date(Date.parse(times.alpha!) - 60_000);
    await page.click('#f-clear');
    // datetime-local takes local time, to the second.
    const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
    await page.fill('#f-to', local(from));
    await expectListed(page, []);
    expect(address()).toEqual({ to: new Date(Math.floor(from.getTime() / 1000) * 1000).toISOString() });
    await page.fill('#f-to', '');
    await page.fill('#f-from', local(from));
    await expectListed(page, everything());
    await page.click('#f-clear');
  });

  it('combines fields, and a reload of the address shows the same list with the same controls', async () => {
    await page.selectOption('#f-model', 'gpt-image-1');
    await page.selectOption('#f-status', '4xx');
    await page.fill('#f-q', 'rose');
    await expectListed(page, listed('gamma', 'alpha'));
    const url = page.url();
    expect(address()).toEqual({ model: 'gpt-image-1', status: '4xx', q: 'rose' });
    await page.goto('about:blank');
    await page.goto(url);
    await expectListed(page, listed('gamma', 'alpha'));
    expect([await page.inputValue('#f-model'), await page.inputValue('#f-status'), await page.inputValue('#f-q')]).toEqual(['gpt-image-1', '4xx', 'rose']);
    await page.click('#f-clear');
  });

  it('opens a request from its permalink, whatever the filter', async () => {
    await page.locator(`#list li.row[data-id="${ids.gamma}"] a`).click();
    const permalink = await page.getAttribute('#detail a.permalink', 'href');
    expect(permalink).toBe(`${session.sandbox.url}/__sandbox/?id=${ids.gamma}`);
    const other = await session.browser.context.newPage();
    await other.goto(`${permalink!.replace('?', '?ns=default&')}`);
    await other.locator('#detail .detail-title .status:has-text("429")').waitFor();
    expect(await other.textContent('#detail blockquote.prompt')).toBe('gamma rose');
    expect(await other.textContent('#detail .detail-meta')).toContain('namespace w1');
    await other.close();
  });

  it('says so when the permalink names a request the journal no longer has', async () => {
    await page.goto(dashboardUrl(session.sandbox, '?id=req_00000000000000000000000000000000'));
    await page.waitForSelector('#detail .placeholder:has-text("No request req_00000000000000000000000000000000 in the journal")');
  });

  it('loaded nothing from another origin and logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});

/**
 * The dashboard in headless Chromium for the browser tests: a listening sandbox, a browser,
 * and a page on `/__sandbox/` that records what should never happen (a request to another
 * origin, a script error, a CSP violation; not the 4xx answers tests provoke on purpose),
 * plus small readers of what the page shows.
 */
import type { Page, Request as PageRequest } from 'playwright-core';
import type { SandboxHandle, SandboxOptions } from '../../server/start-sandbox';
import { launchChromium, type LaunchedChromium, type LaunchOptions } from './chromium';
import { postEdit } from './edit-request';
import { TEST_KEY, testSandbox } from './test-sandbox';

export interface DashboardSession {
  readonly sandbox: SandboxHandle;
  readonly browser: LaunchedChromium;
  readonly page: Page;
  /** Requests to other origins, page errors and console errors, in order: a test expects none. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Starts a sandbox and a browser; the page is blank until `page.goto(dashboardUrl(...))`. */
export async function dashboardSession(options: { sandbox?: SandboxOptions; browser?: LaunchOptions } = {}): Promise<DashboardSession> {
  const sandbox = await testSandbox(options.sandbox);
  let browser: LaunchedChromium;
  try {
    browser = await launchChromium(options.browser);
  } catch (err) {
    await sandbox.close();
    throw err;
  }
  const problems: string[] = [];
  const { page } = browser;
  const sameOrigin = (req: PageRequest) => /^(blob|data):/.test(req.url()) || req.url().startsWith(`${sandbox.url}/`);
  browser.context.on('request', (req) => {
    if (!sameOrigin(req)) problems.push(`request to another origin: ${req.url()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    // An error status the sandbox answered (a refused value, a 401) is Chromium's console noise; tests check those answers themselves.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of 4'))
      problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  return {
    sandbox,
    browser,
    page,
    problems,
    async close() {
      await browser.close();
      await sandbox.close();
    },
  };
}

/**
 * The page's document as functions run in the page see it (the project compiles without the
 * DOM lib). Functions, not strings: the page's CSP forbids eval, which string predicates use;
 * and each function stands alone (it is sent to the page as its source).
 */
interface PageDocument {
  querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }>;
  body: { dataset: Record<string, string | undefined> };
}

/** Resolves once the page has finished `n` more polls of the journal than it had before `meanwhile` (e.g. moving its clock). */
export async function morePolls(page: Page, n: number, meanwhile?: () => Promise<void>): Promise<void> {
  const start = Number(await page.getAttribute('body', 'data-polls'));
  await meanwhile?.();
  await page.waitForFunction((target) => Number((globalThis as unknown as { document: PageDocument }).document.body.dataset.polls) >= target, start + n, { timeout: 15_000 });
}

/** The dashboard's address, with a query (filter, chosen entry). */
export function dashboardUrl(sandbox: SandboxHandle, query = ''): string {
  return `${sandbox.url}/__sandbox/${query}`;
}

/** The request ids the list shows, top (newest) first. */
export function listedIds(page: Page): Promise<string[]> {
  return page.locator('#list li.row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id') ?? ''));
}

/** Waits until the list shows exactly `ids` (newest first): it follows the journal once a second. */
export async function expectListed(page: Page, ids: readonly string[]): Promise<void> {
  const wanted = JSON.stringify(ids);
  await page
    .waitForFunction(
      (expected) => JSON.stringify([...(globalThis as unknown as { document: PageDocument }).document.querySelectorAll('#list li.row')].map((row) => row.getAttribute('data-id'))) === expected,
      wanted,
      { timeout: 10_000 },
    )
    .catch(async () => {
      throw new Error(`the list shows ${JSON.stringify(await listedIds(page))}, expected ${wanted}`);
    });
}

/** `count` quick edits with JSON bodies (no upload, no rendering), a few at a time: for a full journal. */
export async function manyRequests(sandbox: SandboxHandle, count: number, fieldsOf: (i: number) => Record<string, string>): Promise<void> {
  const send = (i: number) =>
    fetch(`${sandbox.url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ size: '7x7', ...fieldsOf(i) }) }).then((res) => res.arrayBuffer());
  for (let i = 0; i < count; i += 25) await Promise.all(Array.from({ length: Math.min(25, count - i) }, (_, j) => send(i + j)));
}

/** A quick edit that fails validation (no rendering): its request id. */
export async function quickRequest(sandbox: SandboxHandle, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<string> {
  let req = postEdit(sandbox.url, { size: '7x7', ...fields });
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  const res = await req;
  return String(res.headers['x-request-id']);
}

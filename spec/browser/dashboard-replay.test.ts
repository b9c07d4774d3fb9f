/**
 * A recorded request, run again from the dashboard: "Copy as curl" puts a command on the
 * clipboard that real curl (under sh) runs to the same answer, byte for byte in JSON (same
 * namespace, so same seed; the uploads fetched from the journal); "Copy as Node SDK" gives a
 * script the official SDK runs to the same answer. Exports save the entries the list shows,
 * as JSON and as HAR.
 */
import fs from 'node:fs';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import type { Page } from 'playwright-core';
import type { JournalEntry } from '../../server/stores/journal-record';
import { requireProgram, runProgram } from '../clients/run-client';
import { CACHE_ROOT } from '../helpers/cached-directory';
import { dashboardSession, dashboardUrl, expectListed, quickRequest, type DashboardSession } from '../helpers/dashboard-page';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY } from '../helpers/test-sandbox';

/** A prompt every layer of quoting must carry unchanged (shell, curl's -F, JSON, JS). */
const PROMPT = `it's a "rose" $HOME \`id\` \\ end; type=x`;

describe('running a recorded request again from the dashboard', () => {
  let session: DashboardSession;
  let page: Page;
  let curlPath: string;
  let requestId: string;
  let answer: unknown;

  beforeAll(async () => {
    curlPath = requireProgram(['curl'], ['--version'], 'apt-get install -y curl');
    session = await dashboardSession();
    page = session.page;
    await session.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.sandbox.url });
    const sdk = new OpenAI({ apiKey: TEST_KEY, baseURL: `${session.sandbox.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-sandbox-namespace': 'w7' } });
    const edited = await sdk.images
      .edit({
        model: 'gpt-image-1',
        image: await toFile(fixture('scene-512.png'), 'my scene.png', { type: 'image/png' }),
        mask: await toFile(fixture('mask-512.png'), 'mask.png', { type: 'image/png' }),
        prompt: PROMPT,
        quality: 'low',
        size: '1024x1536',
      })
      .withResponse();
    requestId = edited.request_id!;
    answer = edited.data;
    await page.goto(dashboardUrl(session.sandbox, `?id=${requestId}`));
    await page.locator('#detail .detail-title .status:has-text("200")').waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  const clipboardAfter = async (button: string, what: string) => {
    await page.click(`#detail button[data-copy="${button}"]`);
    await page.waitForSelector(`#message:has-text("Copied ${what}.")`);
    return (await page.evaluate('navigator.clipboard.readText()')) as string;
  };

  it('copies a curl command that real curl runs to the same answer', async () => {
    const command = await clipboardAfter('curl', 'the curl command');
    expect(command).toBe(await page.textContent('#detail pre[data-snippet="curl"]'));
    expect(command).not.toContain(TEST_KEY);
    expect(command).toContain('x-sandbox-namespace: w7');
    const run = await runProgram('sh', ['-c', command], undefined, { env: { ...process.env, OPENAI_API_KEY: TEST_KEY, PATH: `${path.dirname(curlPath)}:${process.env.PATH}` } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.toString('utf8'))).toEqual(answer);
    // The replay is a request like any other, with the same prompt and uploads.
    const entries = await session.sandbox.namespace('w7').journal();
    expect(entries).toHaveLength(2);
    const [first, again] = entries as [JournalEntry, JournalEntry];
    expect(again.fields).toEqual(first.fields);
    expect([again.files[0]!.sha256, again.files[0]!.filename, again.mask!.sha256]).toEqual([first.files[0]!.sha256, 'my scene.png', first.mask!.sha256]);
  });

  it('copies a Node SDK script that the official SDK runs to the same answer', async () => {
    const script = await clipboardAfter('sdk', 'the SDK script');
    // Inside the project, so `import 'openai'` finds its node_modules.
    fs.mkdirSync(CACHE_ROOT, { recursive: true });
    const dir = fs.mkdtempSync(path.join(CACHE_ROOT, 'replay-'));
    try {
      fs.writeFileSync(path.join(dir, 'edit.mjs'), script);
      const run = await runProgram(process.execPath, [path.join(dir, 'edit.mjs')], undefined, { env: { ...process.env, OPENAI_API_KEY: TEST_KEY } });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout.toString('utf8'))).toEqual(answer);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports the entries the list shows, as JSON and as HAR', async () => {
    const other = await quickRequest(session.sandbox, { prompt: 'not in w7' });
    await page.goto(dashboardUrl(session.sandbox, '?ns=w7'));
    const w7 = (await session.sandbox.namespace('w7').journal()).map((e) => e.id).reverse();
    expect(w7).toHaveLength(3);
    await expectListed(page, w7);

    const saved = async (button: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      return { name: download.suggestedFilename(), value: JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as unknown };
    };
    const json = await saved('#export-json');
    expect(json.name).toBe('image-edits-sandbox-requests.json');
    const exported = (json.value as { data: JournalEntry[] }).data;
    expect(exported.map((e) => e.id)).toEqual(w7);
    expect(exported.map((e) => e.id)).not.toContain(other);
    expect(exported[2]!.response!.body).toEqual({ ...(answer as object), data: [{ b64_json: { $image: { kind: 'outputs', index: 0 } } }] });

    const har = await saved('#export-har');
    expect(har.name).toBe('image-edits-sandbox-requests.har');
    const log = (har.value as { log: { version: string; entries: { request: { method: string; url: string; postData: { params: { name: string; value?: string; fileName?: string }[] } }; response: { status: number; content: { text: string } } }[] } }).log;
    expect(log.version).toBe('1.2');
    expect(log.entries).toHaveLength(3); // the original, its curl and its SDK replays
    const [replayed] = log.entries;
    expect(replayed!.request).toMatchObject({ method: 'POST', url: `${session.sandbox.url}/v1/images/edits` });
    expect(replayed!.request.postData.params).toEqual(expect.arrayContaining([{ name: 'prompt', value: PROMPT }, { name: 'image', fileName: 'my scene.png', contentType: 'image/png' }, { name: 'mask', fileName: 'mask.png', contentType: 'image/png' }]));
    expect(replayed!.response.status).toBe(200);
    expect(JSON.parse(replayed!.response.content.text)).toMatchObject({ created: (answer as { created: number }).created });
  });

  it('loaded nothing from another origin and logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});

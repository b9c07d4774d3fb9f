/**
 * A hostile web page in a real browser cannot drive the sandbox: from another origin it tries
 * a no-cors reset, a beacon, a form post, a DELETE and a journal read; after DNS rebinding
 * (its own name pointed at 127.0.0.1) it reads the journal as "same origin". Nothing changes
 * and nothing is read, while the sandbox's own dashboard page still changes state as before.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { toFile } from 'openai';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY, testSandbox } from '../helpers/test-sandbox';
import type { SandboxHandle } from '../../server/start-sandbox';

/** The attacker's page: every way a page can send a request to the sandbox without permission. */
function attackPage(sandboxUrl: string): string {
  return `<!doctype html><html><body>
<form id="f" method="post" action="${sandboxUrl}/__sandbox/reset" target="sink"><input name="x" value="1"></form>
<iframe name="sink"></iframe>
<script>
window.results = (async () => {
  const out = {};
  const attempt = async (name, run) => { try { out[name] = await run(); } catch (e) { out[name] = 'blocked: ' + e.name; } };
  await attempt('noCorsReset', () => fetch('${sandboxUrl}/__sandbox/reset', { method: 'POST', mode: 'no-cors', body: 'x' }).then((r) => r.type));
  await attempt('noCorsReadableReset', () => fetch('${sandboxUrl}/__sandbox/reset?namespace=*', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{}' }).then((r) => r.type));
  await attempt('beacon', async () => navigator.sendBeacon('${sandboxUrl}/__sandbox/reset', 'x'));
  await attempt('disarm', () => fetch('${sandboxUrl}/__sandbox/scenarios', { method: 'DELETE' }).then((r) => r.status));
  await attempt('readJournal', () => fetch('${sandboxUrl}/__sandbox/requests').then((r) => r.text()));
  document.getElementById('f').submit();
  await new Promise((r) => setTimeout(r, 500));
  return out;
})();
</script></body></html>`;
}

describe('a hostile page in headless Chromium', () => {
  let sandbox: SandboxHandle;
  let attacker: http.Server;
  let attackerUrl: string;
  let browser: LaunchedChromium;
  let requestId: string;

  beforeAll(async () => {
    sandbox = await testSandbox();
    const sdk = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
    const edited = await sdk.images.edit({ model: 'gpt-image-1', image: await toFile(fixture('scene-512.png'), 'scene.png', { type: 'image/png' }), prompt: 'a secret prompt', quality: 'low' }).withResponse();
    requestId = edited.response.headers.get('x-request-id')!;
    await sandbox.namespace().arm('rate_limit', { times: 3 });
    attacker = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(attackPage(sandbox.url));
    });
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    // rebind.test resolves to loopback in this browser only: the state a DNS rebinding attack reaches.
    browser = await launchChromium({ extraArgs: ['--host-resolver-rules=MAP rebind.test 127.0.0.1'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => attacker?.close(r));
    await sandbox?.close();
  });

  async function expectUntouched(): Promise<void> {
    const ns = sandbox.namespace();
    expect((await ns.journal()).map((e) => e.id)).toEqual([requestId]);
    expect((await ns.armed()).map((a) => a.remaining)).toEqual([3]);
  }

  it('changes and reads nothing from another origin (no-cors POST, beacon, form, DELETE, read)', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${attackerUrl}/`);
    const results = (await page.evaluate('window.results')) as Record<string, unknown>;
    // The opaque POSTs and the beacon were sent (the browser allows that much), then refused by the sandbox.
    expect(results.noCorsReset).toBe('opaque');
    expect(results.beacon).toBe(true);
    expect(results.disarm).toBe('blocked: TypeError');
    expect(results.readJournal).toBe('blocked: TypeError');
    await expectUntouched();
    await page.close();
  });

  it('reads nothing after DNS rebinding: a loopback sandbox refuses a Host that is not a loopback name', async () => {
    const page = await browser.context.newPage();
    const port = new URL(sandbox.url).port;
    const landing = await page.goto(`http://rebind.test:${port}/__sandbox/`);
    expect(landing?.status()).toBe(403);
    const read = (await page.evaluate(`fetch('/__sandbox/requests').then(async (r) => [r.status, await r.text()])`)) as [number, string];
    expect(read[0]).toBe(403);
    expect(read[1]).toContain('host_not_allowed');
    expect(read[1]).not.toContain('a secret prompt');
    const reset = (await page.evaluate(`fetch('/__sandbox/reset?namespace=*', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status)`)) as number;
    expect(reset).toBe(403);
    await expectUntouched();
    await page.close();
  });

  it("still lets the sandbox's own dashboard page read and change state", async () => {
    const page = await browser.context.newPage();
    expect((await page.goto(`${sandbox.url}/__sandbox/`))?.status()).toBe(200);
    const listed = (await page.evaluate(`fetch('/__sandbox/requests').then((r) => r.json())`)) as { data: { id: string }[] };
    expect(listed.data.map((e) => e.id)).toEqual([requestId]);
    const disarmed = (await page.evaluate(`fetch('/__sandbox/scenarios', { method: 'DELETE' }).then((r) => r.json())`)) as { deleted: number };
    expect(disarmed).toEqual({ deleted: 1 });
    const reset = (await page.evaluate(`fetch('/__sandbox/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.json())`)) as unknown;
    expect(reset).toEqual({ reset: true });
    expect(await sandbox.namespace().count()).toBe(0);
    await page.close();
  });
});

/**
 * SIGTERM / SIGINT on a real `node server/main.js`: stop accepting, let in-flight requests and
 * streams finish within the grace period, exit 0; a second signal exits at once.
 */
import { fixture } from '../helpers/fixtures';
import { TEST_KEY } from '../helpers/test-sandbox';
import { builtServer } from './build-dist';
import { listeningUrl, runSandbox, type SandboxProcess } from './sandbox-process';

jest.setTimeout(120_000);

let buildDir: string;
beforeAll(async () => {
  buildDir = await builtServer();
});

const running: SandboxProcess[] = [];
afterEach(() => {
  for (const sandbox of running.splice(0)) if (sandbox.child.exitCode === null) sandbox.child.kill('SIGKILL');
});

async function start(args: string[] = []): Promise<{ sandbox: SandboxProcess; url: string }> {
  const sandbox = runSandbox(buildDir, ['--port', '0', '--log-level', 'info', ...args]);
  running.push(sandbox);
  return { sandbox, url: await listeningUrl(sandbox) };
}

function editBody(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('image', new Blob([fixture('scene-512.png')], { type: 'image/png' }), 'scene-512.png');
  return form;
}

function postEdit(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, ...headers }, body: editBody(fields) });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fields = { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low' };

describe('the sandbox process on SIGTERM and SIGINT', () => {
  it('finishes an in-flight request, refuses new connections, then exits 0', async () => {
    const { sandbox, url } = await start();
    const inFlight = postEdit(url, fields, { 'x-sandbox-latency-ms': '1500' });
    await sleep(400);
    sandbox.child.kill('SIGTERM');
    await sleep(200);
    await expect(fetch(`${url}/__sandbox/health`)).rejects.toThrow();
    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { b64_json: string }[] };
    expect(body.data[0]!.b64_json.length).toBeGreaterThan(100);
    const signalled = Date.now();
    expect(await sandbox.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(3000);
    expect(sandbox.stdout()).toContain('SIGTERM: no longer accepting connections');
  });

  it('lets an in-flight stream send every event before exiting 0 on SIGINT', async () => {
    const { sandbox, url } = await start(['--stream-interval-ms', '300']);
    const response = await postEdit(url, { ...fields, stream: 'true', partial_images: '2' });
    expect(response.status).toBe(200);
    sandbox.child.kill('SIGINT');
    const text = await response.text();
    expect(text.match(/event: image_edit\.partial_image/g)).toHaveLength(2);
    expect(text).toContain('event: image_edit.completed');
    expect(await sandbox.exited).toBe(0);
  });

  it('cuts in-flight requests once the grace period is over, still exiting 0', async () => {
    const { sandbox, url } = await start(['--shutdown-grace-ms', '300']);
    const inFlight = postEdit(url, fields, { 'x-sandbox-latency-ms': '20000' }).then(
      (r) => r.status,
      () => 'cut',
    );
    await sleep(300);
    const signalled = Date.now();
    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(3000);
    expect(await inFlight).toBe('cut');
  });

  it('exits at once on a second signal', async () => {
    const { sandbox, url } = await start();
    void postEdit(url, fields, { 'x-sandbox-latency-ms': '20000' }).catch(() => undefined);
    await sleep(300);
    sandbox.child.kill('SIGTERM');
    await sleep(100);
    const second = Date.now();
    sandbox.child.kill('SIGINT');
    expect(await sandbox.exited).toBe(130);
    expect(Date.now() - second).toBeLessThan(1000);
  });
});

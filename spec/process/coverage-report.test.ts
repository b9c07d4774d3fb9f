/**
 * The done-when for outcome coverage: the official `openai` SDK runs against a real
 * `node server/main.js`; on SIGTERM the process writes a coverage report (JSON, Markdown,
 * JUnit XML) listing exactly the outcomes the SDK received, and `--coverage-threshold` makes
 * it exit 3 with one stderr line when less than that percent was received. Bad coverage
 * flags stop the start with exit 2 and a one-line message, not a stack trace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import type { CoverageReport } from '../../server/coverage/coverage-report';
import { expectToMatchSchema } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY } from '../helpers/test-sandbox';
import { builtServer } from './build-dist';
import { listeningUrl, runSandbox, type SandboxProcess } from './sandbox-process';

jest.setTimeout(120_000);

let buildDir: string;
let dir: string;
beforeAll(async () => {
  buildDir = await builtServer();
});
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-process-'))));
afterEach(() => {
  for (const sandbox of running.splice(0)) if (sandbox.child.exitCode === null) sandbox.child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

const running: SandboxProcess[] = [];
async function start(args: string[]): Promise<{ sandbox: SandboxProcess; client: OpenAI }> {
  const sandbox = runSandbox(buildDir, ['--port', '0', '--log-level', 'info', '--stream-interval-ms', '0', ...args]);
  running.push(sandbox);
  const url = await listeningUrl(sandbox);
  return { sandbox, client: new OpenAI({ apiKey: TEST_KEY, baseURL: `${url}/v1`, maxRetries: 0 }) };
}

const png = (name: string) => toFile(fixture(name), name, { type: 'image/png' });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: unknown) => err,
  );
const received = (report: CoverageReport) => Object.fromEntries(report.outcomes.filter((o) => o.exercised).map((o) => [o.id, o.count]));

describe('outcome coverage of a sandbox process, through the official SDK', () => {
  it('reports exactly the outcomes the SDK received, and exits 3 below the threshold', async () => {
    const { sandbox, client } = await start(['--coverage-report', path.join(dir, 'reports', 'coverage'), '--coverage-threshold', '50']);
    const edit = { model: 'gpt-image-1', prompt: 'add a red rose', quality: 'low' } as const;
    // Two JSON answers with b64_json images, a dall-e-2 url answer, a stream of two partials.
    expectToMatchSchema(await client.images.edit({ ...edit, image: await png('scene-512.png') }), 'ImagesResponse');
    await client.images.edit({ ...edit, image: await png('scene-512.png'), prompt: 'add a blue rose' });
    expect((await client.images.edit({ model: 'dall-e-2', image: await png('scene-rgba-256.png'), prompt: 'add a red rose', size: '256x256' })).data?.[0]?.url).toMatch(/^http/);
    const events: string[] = [];
    for await (const event of await client.images.edit({ ...edit, image: await png('scene-512.png'), stream: true, partial_images: 2 })) events.push(event.type);
    expect(events).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);
    // A scenario, an error of the catalogue, and a stream cut by an error event.
    expect(await failure(client.images.edit({ ...edit, image: await png('scene-512.png') }, { headers: { 'x-sandbox-scenario': 'rate_limit' } }))).toBeInstanceOf(OpenAI.RateLimitError);
    const refused = (await failure(client.images.edit({ ...edit, model: 'gpt-image-9', image: await png('scene-512.png') }))) as InstanceType<typeof OpenAI.APIError>;
    expect(refused).toMatchObject({ status: 400, code: 'invalid_value', param: 'model' });
    const cut = failure(
      (async () => {
        for await (const event of await client.images.edit({ ...edit, image: await png('scene-512.png'), stream: true, partial_images: 1 }, { headers: { 'x-sandbox-scenario': 'stream_error' } })) events.push(event.type);
      })(),
    );
    expect(await cut).toBeInstanceOf(OpenAI.APIError);

    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exited).toBe(3);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'coverage.json'), 'utf8')) as CoverageReport;
    expectToMatchSchema(report, 'CoverageReport');
    const expected = {
      'success:gpt-image:multipart:b64_json': 2,
      'success:dall-e:multipart:url': 1,
      'success:gpt-image:multipart:stream-2': 1,
      'scenario:rate_limit': 1,
      'error:invalidValue': 1,
      'stream-failure:gpt-image:error-event': 1,
    };
    expect(received(report)).toEqual(expected);
    expect(report).toMatchObject({ namespace: '*', profile: 'seed', exercised: 6 });
    expect(report.outcomes.find((o) => o.id === 'error:invalidValue')?.seen).toEqual([{ status: 400, type: refused.type, code: 'invalid_value', param: 'model', count: 1 }]);

    const share = `${((6 / report.total) * 100).toFixed(1)}%`;
    expect(sandbox.stderr()).toBe(`image-edits-sandbox: outcome coverage ${share} (6 of ${report.total}) is below --coverage-threshold 50%\n`);
    expect(sandbox.stdout()).toContain(`outcome coverage: 6 of ${report.total} outcomes received (${share}); written to ${path.join(dir, 'reports', 'coverage.json')}`);

    const md = fs.readFileSync(path.join(dir, 'reports', 'coverage.md'), 'utf8');
    const receivedRows = md.slice(md.indexOf('## Received')).match(/^\| `[^`]+` \| \d+ \|/gm);
    expect(receivedRows?.map((row) => /`([^`]+)` \| (\d+)/.exec(row)!.slice(1))).toEqual(Object.entries(expected).map(([id, n]) => [id, String(n)]).sort((a, b) => report.outcomes.findIndex((o) => o.id === a[0]) - report.outcomes.findIndex((o) => o.id === b[0])));
    const junit = fs.readFileSync(path.join(dir, 'reports', 'coverage.junit.xml'), 'utf8');
    const ran = [...junit.matchAll(/<testcase [^>]*name="([^"]+)"[^>]*>\s*<system-out>/g)].map((m) => m[1]);
    expect(new Set(ran)).toEqual(new Set(Object.keys(expected)));
    expect(junit.match(/<skipped /g)).toHaveLength(report.total - 6);
  });

  it('exits 0 when the threshold is met, writing only the file named', async () => {
    const file = path.join(dir, 'coverage.junit.xml');
    const { sandbox, client } = await start(['--coverage-report', file, '--coverage-threshold', '1%']);
    await client.images.edit({ model: 'gpt-image-1', image: await png('scene-512.png'), prompt: 'add a red rose', quality: 'low' });
    sandbox.child.kill('SIGINT');
    expect(await sandbox.exited).toBe(0);
    expect(sandbox.stderr()).toBe('');
    expect(fs.readdirSync(dir)).toEqual(['coverage.junit.xml']);
    expect([...fs.readFileSync(file, 'utf8').matchAll(/<system-out>/g)]).toHaveLength(1);
  });

  it.each([
    { args: ['--coverage-threshold', 'most'], message: "image-edits-sandbox: --coverage-threshold must be a percent from 0 to 100 (80 or 80%), got 'most'." },
    { args: ['--coverage-report', 'coverage.xml'], message: "image-edits-sandbox: --coverage-report must end in .json, .md or .junit.xml (or have no extension, for all three), got 'coverage.xml'." },
  ])('refuses $args at start with exit 2 and one message', async ({ args, message }) => {
    const sandbox = runSandbox(buildDir, ['--port', '0', ...args]);
    running.push(sandbox);
    expect(await sandbox.exited).toBe(2);
    expect(sandbox.stderr().split('\n')[0]).toBe(message);
    expect(sandbox.stderr()).not.toMatch(/\n\s+at /);
  });

  it('refuses at start a report path that cannot be written, before listening', async () => {
    fs.writeFileSync(path.join(dir, 'a-file'), 'not a folder');
    const file = path.join(dir, 'a-file', 'coverage.json');
    const sandbox = runSandbox(buildDir, ['--port', '0', '--coverage-report', file]);
    running.push(sandbox);
    expect(await sandbox.exited).toBe(2);
    expect(sandbox.stderr()).toMatch(new RegExp(`^image-edits-sandbox: SANDBOX_COVERAGE_REPORT \\(--coverage-report\\) file '${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' cannot be written: [^\\n]+\\.\\n$`));
    expect(sandbox.stdout()).not.toContain('listening on');
  });
});

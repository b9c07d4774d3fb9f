/**
 * `image-edits-sandbox drift DIR`, as a user runs it: cassettes recorded through the proxy
 * from two sandbox processes standing in for the live API, one under the `openai` profile
 * (where it differs from the default `seed` profile the check runs with, the differences are
 * planted) and one a twin under `seed` with another seed (no drift: pixels are not shape).
 * The check reports exactly the planted differences, those edited into a recorded cassette, and
 * nothing else; a cassette it cannot read is one line and exit 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectToMatchSchema } from '../helpers/expect-to-match-spec';
import { fixture, fixturePath } from '../helpers/fixtures';
import { editForm, send } from '../helpers/raw-exchange';
import { TEST_NOW, testSandbox } from '../helpers/test-sandbox';
import { builtServer } from './build-dist';
import { listeningUrl, runSandbox, type SandboxProcess } from './sandbox-process';

jest.setTimeout(300_000);

let buildDir: string;
let root: string;
const upstreams: SandboxProcess[] = [];

const EDIT = { model: 'gpt-image-2', prompt: 'add a red rose', quality: 'low' };

/** One session of requests: edits that agree, edits where the profiles differ, and a Files round trip. */
async function session(url: string): Promise<void> {
  const ok = async (answer: Promise<{ status: number }>) => expect([200, 400]).toContain((await answer).status);
  await ok(send(`${url}/v1/images/edits`, { body: editForm(EDIT) }));
  await ok(send(`${url}/v1/images/edits`, { body: editForm({ ...EDIT, stream: true, partial_images: 1 }) }));
  await ok(send(`${url}/v1/images/edits`, { body: editForm({ prompt: 'add a red rose', quality: 'low' }) }));
  await ok(send(`${url}/v1/images/edits`, { body: editForm({ ...EDIT, response_format: 'url' }) }));
  await ok(send(`${url}/v1/images/edits`, { body: editForm({ ...EDIT, model: 'gpt-image-9' }) }));
  await ok(send(`${url}/v1/images/edits`, { body: editForm({ ...EDIT, n: 0 }) }));
  const form = new FormData();
  form.append('purpose', 'vision');
  form.append('file', new Blob([fixture('scene-512.png')], { type: 'image/png' }), 'scene.png');
  const upload = await send(`${url}/v1/files`, { body: form });
  const id = upload.json<{ id: string }>().id;
  await ok(send(`${url}/v1/images/edits`, { body: { ...EDIT, images: [{ file_id: id }] } }));
  await ok(send(`${url}/v1/files/${id}`));
}

/** Records a session through an embedded proxy in front of a sandbox process started with `env`. */
async function recordFrom(env: Record<string, string>, name: string): Promise<string> {
  const upstream = runSandbox(buildDir, ['--port', '0'], { SANDBOX_NOW: String(TEST_NOW), SANDBOX_STREAM_INTERVAL_MS: '0', ...env });
  upstreams.push(upstream);
  const dir = path.join(root, name);
  const proxy = await testSandbox({ upstream: `${await listeningUrl(upstream)}/v1`, recordDir: dir });
  try {
    await session(proxy.url);
  } finally {
    await proxy.close();
  }
  return dir;
}

interface Report {
  differing: number;
  exchanges: Array<{ name: string; method: string; path: string; differences: Array<{ at: string; recorded: string; sandbox: string }> }>;
}

async function drift(args: string[], env: Record<string, string> = {}): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const run = runSandbox(buildDir, ['drift', ...args], env);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

let live: string;
let twin: string;

beforeAll(async () => {
  buildDir = await builtServer();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-drift-'));
  live = await recordFrom({ SANDBOX_PROFILE: 'openai', SANDBOX_SEED: 'live' }, 'live');
  twin = await recordFrom({ SANDBOX_SEED: 'twin' }, 'twin');
});

afterAll(async () => {
  for (const upstream of upstreams) {
    upstream.child.kill('SIGTERM');
    await upstream.exited;
  }
  fs.rmSync(root, { recursive: true, force: true });
});

describe('image-edits-sandbox drift', () => {
  it('reports the differences planted by the openai profile, and nothing else', async () => {
    const { code, stdout } = await drift([live, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    expectToMatchSchema(report, 'DriftReport');
    expect(report.exchanges.map((e) => e.name)).toEqual([
      '0001-post-images-edits',
      '0002-post-images-edits',
      '0003-post-images-edits',
      '0004-post-images-edits',
      '0005-post-images-edits',
      '0006-post-images-edits',
      '0007-post-files',
      '0008-post-images-edits',
      expect.stringMatching(/^0009-get-files-file-[a-z0-9]+$/),
    ]);
    const differing = Object.fromEntries(report.exchanges.filter((e) => e.differences.length > 0).map((e) => [e.name, e.differences]));
    expect(Object.keys(differing)).toEqual(['0003-post-images-edits', '0004-post-images-edits', '0005-post-images-edits']);
    expect(report.differing).toBe(3);
    // Where the answers are an error against images, the error and each part of the answer only the sandbox has.
    const errorAgainstImages = ['status', 'error', 'created', 'background', 'output_format', 'quality', 'size', 'data', 'usage'];
    expect(differing['0003-post-images-edits']!.map((d) => d.at)).toEqual(errorAgainstImages);
    expect(differing['0004-post-images-edits']!.map((d) => d.at)).toEqual(errorAgainstImages);
    // No model: the openai profile requires one; the seed profile picks one.
    expect(differing['0003-post-images-edits']!.slice(0, 2)).toEqual([
      { at: 'status', recorded: '400', sandbox: '200' },
      { at: 'error', recorded: '"invalid_request_error" / "missing_required_parameter" / "model": "Missing required parameter: \'model\'."', sandbox: '(absent)' },
    ]);
    expect(differing['0003-post-images-edits']).toContainEqual({ at: 'data', recorded: '(absent)', sandbox: '[0].b64_json=png 1024x1024' });
    // response_format=url: refused live, honoured by the seed contract.
    expect(differing['0004-post-images-edits']).toEqual(
      expect.arrayContaining([
        { at: 'status', recorded: '400', sandbox: '200' },
        { at: 'error', recorded: '"invalid_request_error" / "unknown_parameter" / "response_format": "Unknown parameter: \'response_format\'."', sandbox: '(absent)' },
        { at: 'data', recorded: '(absent)', sandbox: '[0].url=string' },
      ]),
    );
    // An unknown model: each profile's own words.
    expect(differing['0005-post-images-edits']).toEqual([
      { at: 'error.message', recorded: '"The model \'gpt-image-9\' does not exist."', sandbox: expect.stringMatching(/^"Invalid value: 'gpt-image-9'\. Supported values are: 'dall-e-2', /) },
      { at: 'error.type', recorded: '"image_generation_user_error"', sandbox: '"invalid_request_error"' },
    ]);
  });

  it('says it in words by default: a line per exchange, a line per difference', async () => {
    const { code, stdout } = await drift([live]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^drift: 9 exchange\(s\) in .*live against this sandbox \(profile seed, API date 2026-12-01\): 3 differ\n/);
    expect(stdout).toContain('0001-post-images-edits  POST /v1/images/edits: same\n');
    expect(stdout).toContain('0004-post-images-edits  POST /v1/images/edits: ');
    expect(stdout).toContain('  status: recorded 400, sandbox 200\n');
  });

  it('finds no drift in a cassette recorded from an identical sandbox (another seed: pixels are not shape), and exits 0', async () => {
    const { code, stdout, stderr } = await drift([twin]);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/: no drift\n/);
    expect(stdout.match(/: same$/gm)).toHaveLength(9);
    expect(code).toBe(0);
  });

  it("leaves the served sandbox's coverage report alone: SANDBOX_COVERAGE_REPORT set for CI is not written by the check", async () => {
    const report = path.join(root, 'coverage', 'outcomes.json');
    const { code } = await drift([twin], { SANDBOX_COVERAGE_REPORT: report, SANDBOX_COVERAGE_THRESHOLD: '100' });
    expect(code).toBe(0);
    expect(fs.existsSync(path.dirname(report))).toBe(false);
  });

  it('finds no drift when checked with the profile the cassette was recorded under (drift DIR --profile openai)', async () => {
    const { code, stdout } = await drift([live, '--profile', 'openai', '--json']);
    const report = JSON.parse(stdout) as Report;
    expect(report.exchanges.filter((e) => e.differences.length > 0)).toEqual([]);
    expect(report).toMatchObject({ profile: 'openai', differing: 0 });
    expect(code).toBe(0);
  });

  it('reports differences planted in a recorded cassette, each at its one place, and nothing else', async () => {
    const edited = path.join(root, 'edited');
    fs.cpSync(twin, edited, { recursive: true });
    const plant = (file: string, from: RegExp, to: (found: string) => string) => {
      const at = path.join(edited, file);
      const text = fs.readFileSync(at, 'utf8');
      expect(text).toMatch(from);
      fs.writeFileSync(at, text.replace(from, to));
    };
    let tokens = 0;
    plant('0001-post-images-edits/response-body.json', /"output_tokens":(\d+)/, (found) => {
      tokens = Number(/\d+/.exec(found)![0]);
      return `"output_tokens":${tokens + 1}`;
    });
    // Another image size, and another first partial image index in the stream.
    fs.copyFileSync(fixturePath('scene-256.png'), path.join(edited, '0001-post-images-edits', 'response-image-0.png'));
    plant('0002-post-images-edits/response-body.sse', /"partial_image_index":0/, () => '"partial_image_index":5');
    plant('0006-post-images-edits/response-body.json', /"code":\s*"integer_below_min_value"/, () => '"code":"invalid_value"');
    const { code, stdout } = await drift([edited, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    expectToMatchSchema(report, 'DriftReport');
    expect(report.exchanges.flatMap((e) => e.differences.map((d) => ({ name: e.name, ...d })))).toEqual([
      { name: '0001-post-images-edits', at: 'data[0].b64_json', recorded: 'png 256x256', sandbox: 'png 1024x1024' },
      { name: '0001-post-images-edits', at: 'usage.output_tokens', recorded: String(tokens + 1), sandbox: String(tokens) },
      { name: '0002-post-images-edits', at: 'events[0].partial_image_index', recorded: '5', sandbox: '0' },
      { name: '0006-post-images-edits', at: 'error.code', recorded: '"invalid_value"', sandbox: '"integer_below_min_value"' },
    ]);
    expect(report.differing).toBe(3);
  });

  it('says in one line, and exit 2, when the cassette cannot be read', async () => {
    const missing = await drift([path.join(root, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^image-edits-sandbox drift: \S+nowhere is not a cassette directory \(ENOENT[^\n]*\)\n$/);
    const broken = path.join(root, 'broken');
    fs.cpSync(twin, broken, { recursive: true });
    fs.writeFileSync(path.join(broken, '0002-post-images-edits', 'exchange.json'), '{ not json');
    const malformed = await drift([broken]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^image-edits-sandbox drift: 0002-post-images-edits\/exchange\.json is not JSON \([^\n]*\)\n$/);
    expect(malformed.stdout).toBe('');
  });
});

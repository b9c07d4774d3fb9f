/**
 * One sandbox shared by several test workers, each with its own namespace set once on its
 * official SDK client (`defaultHeaders`): armed scenarios hit exactly their own namespace's
 * requests, exactly `times` of them, under many concurrent requests; journals and resets
 * never cross.
 */
import OpenAI, { toFile } from 'openai';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY, testSandbox } from '../helpers/test-sandbox';
import type { SandboxHandle } from '../../server/start-sandbox';

const WORKERS = ['worker-1', 'worker-2', 'worker-3'];

describe('several workers on one sandbox, one namespace each', () => {
  let sandbox: SandboxHandle;
  const clients = new Map<string, OpenAI>();

  beforeAll(async () => {
    sandbox = await testSandbox({ journalSize: 2000 });
    for (const worker of WORKERS)
      clients.set(worker, new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-sandbox-namespace': worker } }));
  });
  afterAll(() => sandbox.close());

  /** One small edit (dall-e-2 at 256x256, cached after the first: the run exercises the namespaces, not painting). */
  const edit = async (worker: string, prompt: string) =>
    clients.get(worker)!.images.edit({ model: 'dall-e-2', image: await toFile(fixture('scene-rgba-256.png'), 'scene.png', { type: 'image/png' }), prompt, size: '256x256', response_format: 'b64_json' }).then(
      () => 200,
      (err: unknown) => (err instanceof OpenAI.APIError ? (err.status ?? 0) : -1),
    );

  it('fails exactly the 50 armed requests of worker-1 among 200 concurrent ones, and none of the others', async () => {
    await sandbox.namespace('worker-1').arm('rate_limit', { times: 50 });
    await sandbox.namespace('worker-2').arm('server_error', { times: 3, match: { prompt: 'never sent' } });
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const worker = WORKERS[i % 4 === 0 ? 1 : i % 4 === 1 ? 2 : 0]!;
        return edit(worker, 'a red rose').then((status) => ({ worker, status }));
      }),
    );
    const countOf = (worker: string, status: number) => statuses.filter((s) => s.worker === worker && s.status === status).length;
    const sentBy = (worker: string) => statuses.filter((s) => s.worker === worker).length;
    expect(countOf('worker-1', 429)).toBe(50);
    expect(countOf('worker-1', 200)).toBe(sentBy('worker-1') - 50);
    expect(countOf('worker-2', 200)).toBe(sentBy('worker-2'));
    expect(countOf('worker-3', 200)).toBe(sentBy('worker-3'));
    expect(await sandbox.namespace('worker-1').armed()).toEqual([]);
    expect((await sandbox.namespace('worker-2').armed())[0]).toMatchObject({ remaining: 3 });
    // Each journal holds exactly its own worker's requests.
    for (const worker of WORKERS) {
      const entries = await sandbox.namespace(worker).journal();
      expect(entries).toHaveLength(sentBy(worker));
      expect(new Set(entries.map((e) => e.namespace))).toEqual(new Set([worker]));
    }
    await sandbox.namespace('worker-1').verify({ status: 429 }, { count: 50 });
    await expect(sandbox.namespace('worker-2').verify({ status: 429 })).rejects.toThrow(/Expected at least 1 request\(s\) matching status=429, found 0/);
  }, 120_000); // 200 requests on a loaded 2-core runner

  it("resets one worker's namespace while the others keep theirs", async () => {
    await sandbox.namespace('worker-3').reset();
    expect(await sandbox.namespace('worker-3').count()).toBe(0);
    expect(await sandbox.namespace('worker-1').count()).toBeGreaterThan(0);
    expect(await sandbox.namespace('worker-2').count()).toBeGreaterThan(0);
    expect(await edit('worker-3', 'after the reset')).toBe(200);
    expect((await sandbox.namespace('worker-3').journal()).map((e) => e.fields.prompt)).toEqual(['after the reset']);
  });
});

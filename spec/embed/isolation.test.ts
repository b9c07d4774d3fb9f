/** Two embedded sandboxes in one process share nothing; port 0 gives each a free port; close() frees it. */
import net from 'node:net';
import OpenAI, { toFile } from 'openai';
import { startSandbox, type SandboxHandle } from '../../server/index';
import { fixture } from '../helpers/fixtures';

const png = (name: string) => toFile(fixture(name), name, { type: 'image/png' });
const clientOf = (sandbox: SandboxHandle) => new OpenAI({ apiKey: 'sk-embed-000000000000', baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
const edit = async (sandbox: SandboxHandle) =>
  clientOf(sandbox).images.edit({ model: 'gpt-image-1', image: await png('scene-512.png'), prompt: 'add a red rose', quality: 'low' });

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('two embedded sandboxes', () => {
  let a: SandboxHandle;
  let b: SandboxHandle;

  beforeAll(async () => {
    [a, b] = await Promise.all([startSandbox({ port: 0, seed: 'one', now: 1000 }), startSandbox({ port: 0, seed: 'two', now: 2000 })]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('listen on different free ports and report their urls', () => {
    expect(a.port).toBeGreaterThan(0);
    expect(b.port).toBeGreaterThan(0);
    expect(a.port).not.toBe(b.port);
    expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
  });

  it('keep their own journals', async () => {
    await edit(a);
    expect(await a.namespace().count()).toBe(1);
    expect(await b.namespace().count()).toBe(0);
  });

  it("refuse a bad namespace name as the argument it is, not as a header", () => {
    expect(() => a.namespace('../x')).toThrow("Invalid 'namespace': expected 1 to 64 letters");
  });

  it('keep their own armed scenarios', async () => {
    await b.namespace().arm('rate_limit');
    expect(await a.namespace().armed()).toEqual([]);
    await expect(edit(a)).resolves.toMatchObject({ created: 1000 });
    await expect(edit(b)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('keep their own config: seed and clock', async () => {
    const [fromA, fromB] = await Promise.all([edit(a), edit(b)]);
    expect(fromA.created).toBe(1000);
    expect(fromB.created).toBe(2000);
    expect(fromA.data![0]!.b64_json).not.toBe(fromB.data![0]!.b64_json);
  });

  it('reset one without touching the other', async () => {
    await a.reset();
    expect(await a.namespace().count()).toBe(0);
    expect(await b.namespace().count()).toBeGreaterThan(0);
  });

  it('close() frees the port and leaves the other one serving', async () => {
    const c = await startSandbox({ port: 0 });
    const port = c.port;
    await c.close();
    expect(await portIsFree(port)).toBe(true);
    expect((await fetch(`${b.url}/__sandbox/health`)).status).toBe(200);
  });
});

/**
 * createStores: one sandbox's state built from its config (the memory backend, with the
 * config's bounds, Files API objects' included) and a clock frozen when SANDBOX_NOW is set. What every backend does with
 * those bounds is the state contract's (spec/stores/state-contract.ts).
 */
import { EMBEDDED_DEFAULTS, resolveConfig, type SandboxConfig } from '../../../server/config';
import { createStores } from '../../../server/stores/create-stores';
import { sampleRecord } from '../../stores/state-contract';

const storesFor = (options: Partial<SandboxConfig>) => createStores(resolveConfig({ options, defaults: EMBEDDED_DEFAULTS }));

/** Opens and commits one finished request. */
async function record(stores: ReturnType<typeof createStores>, prompt: string): Promise<void> {
  const r = sampleRecord('default', { fields: { prompt } });
  await stores.state.journal.open(r);
  r.state = 'complete';
  r.status = 200;
  await stores.state.journal.commit(r);
}

describe('createStores', () => {
  it('keeps state in this process by default', () => {
    expect(storesFor({}).state.backend).toBe('memory');
  });

  it('bounds the journal by SANDBOX_JOURNAL_SIZE', async () => {
    const stores = storesFor({ journalSize: 1 });
    for (const prompt of ['a', 'b']) await record(stores, prompt);
    expect((await stores.state.journal.list('*')).entries.map((entry) => entry.fields.prompt)).toEqual(['b']);
  });

  it('bounds stored files by SANDBOX_MAX_STORED_FILES and dates them by SANDBOX_URL_TTL_SECONDS', async () => {
    const stores = storesFor({ maxStoredFiles: 1, urlTtlSeconds: 60 });
    const first = await stores.state.urlFiles.put('default', Buffer.from('a'), 'png');
    await stores.state.urlFiles.put('default', Buffer.from('b'), 'png');
    expect(await stores.state.urlFiles.get(first.name)).toBeUndefined();
    expect(first.expiresAt - Date.now()).toBeLessThanOrEqual(60_000);
    expect(first.expiresAt - Date.now()).toBeGreaterThan(55_000);
  });

  it('bounds Files API objects by SANDBOX_MAX_FILES and dates them by SANDBOX_FILES_TTL_SECONDS on the SANDBOX_NOW clock', async () => {
    const stores = storesFor({ maxFiles: 1, filesTtlSeconds: 600, now: 1_767_225_600 });
    const upload = (name: string) => ({ content: Buffer.from(name), filename: `${name}.png`, contentType: 'image/png', purpose: 'vision' as const, expiresAfterSeconds: undefined });
    const first = await stores.state.fileObjects.create('default', upload('a'));
    await stores.state.fileObjects.create('default', upload('b'));
    expect(await stores.state.fileObjects.retrieve('default', first.id)).toBeUndefined();
    expect([first.created_at, first.expires_at]).toEqual([1_767_225_600, 1_767_225_600 + 600]);
  });

  it('freezes the clock at SANDBOX_NOW, and runs it otherwise', () => {
    expect(storesFor({ now: 1_767_225_600 }).clock.nowSeconds()).toBe(1_767_225_600);
    const running = storesFor({}).clock.nowSeconds();
    expect(Math.abs(running - Date.now() / 1000)).toBeLessThan(5);
  });

  it('gives two sandboxes state of their own', async () => {
    const [a, b] = [storesFor({}), storesFor({})];
    await a.state.scenarios.arm('default', 'rate_limit', 1, null);
    expect(await b.state.scenarios.list('default')).toEqual([]);
  });
});

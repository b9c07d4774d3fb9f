/**
 * The state contract: what every backend of the state interface must do, as one suite run
 * against each (memory here, redis in spec/redis), so the backends cannot drift apart.
 */
import { createHash } from 'node:crypto';
import { blobPath, blobSlots, type JournalRecord } from '../../server/stores/journal-record';
import { DEFAULT_NAMESPACE, MAX_OUTCOME_VARIANTS, type SandboxState, type StateOptions } from '../../server/stores/state';

/** The suite always passes its own clock, to move time and expire namespaces. */
export type ContractOptions = StateOptions & { readonly clockMs: () => number };

export type StateFactory = (options: ContractOptions) => Promise<SandboxState>;

const DEFAULTS: Omit<ContractOptions, 'clockMs'> = {
  journalSize: 50,
  journalBytes: 1 << 20,
  maxStoredFiles: 50,
  maxStoredBytes: 1 << 20,
  urlTtlSeconds: 3600,
  maxNamespaces: 100,
  namespaceIdleSeconds: 3600,
  maxFiles: 50,
  maxFilesBytes: 1 << 20,
  filesTtlSeconds: 3600,
};

let counter = 0;
/** A record as the recorder makes one: `bytes` kept for its one upload. */
export function sampleRecord(namespace: string, overrides: Partial<JournalRecord> = {}, bytes = 100): JournalRecord {
  const id = `req_${createHash('sha256').update(`${process.pid}:${++counter}:${Math.random()}`).digest('hex').slice(0, 32)}`;
  const upload = Buffer.alloc(bytes, counter % 251);
  return {
    id,
    namespace,
    time: new Date().toISOString(),
    method: 'POST',
    path: '/v1/images/edits',
    body_form: 'multipart',
    headers: { authorization: 'Bearer sk-…redacted', 'user-agent': 'contract' },
    state: 'in_flight',
    status: 0,
    duration_ms: 0,
    stream: false,
    scenario: null,
    answered_by: 'sandbox',
    exchange: null,
    violations: [],
    fields: { prompt: 'a red rose', model: 'gpt-image-1', size: '1024x1024' },
    plan: null,
    files: [
      {
        meta: { field: 'image', param: 'image', filename: 'a.png', content_type: 'image/png', bytes: upload.length, format: 'png', width: 1, height: 1, sha256: createHash('sha256').update(upload).digest('hex') },
        buffer: upload,
      },
    ],
    mask: null,
    outputs: [],
    partials: [],
    usage: null,
    error: null,
    response: null,
    ...overrides,
  };
}

/** Opens and commits a record as one finished request. */
async function record(state: SandboxState, namespace: string, overrides: Partial<JournalRecord> = {}, bytes = 100): Promise<JournalRecord> {
  const r = sampleRecord(namespace, overrides, bytes);
  await state.journal.open(r);
  r.state = 'complete';
  r.status = overrides.status ?? 200;
  await state.journal.commit(r);
  return r;
}

export function describeStateContract(backend: string, factory: StateFactory): void {
  describe(`the ${backend} state backend`, () => {
    let now = 1_800_000_000_000;
    const clockMs = () => now;
    const states: SandboxState[] = [];
    const make = async (options: Partial<Omit<ContractOptions, 'clockMs'>> = {}) => {
      const state = await factory({ ...DEFAULTS, ...options, clockMs });
      states.push(state);
      return state;
    };
    afterEach(async () => {
      for (const state of states.splice(0)) {
        await state.resetAll();
        await state.close();
      }
    });

    describe('journal', () => {
      it('shows a request as in flight from the moment it arrives, then as it ended, with a newer revision', async () => {
        const state = await make();
        const r = sampleRecord('w1');
        await state.journal.open(r);
        const opened = await state.journal.list('w1');
        expect(opened.entries).toHaveLength(1);
        expect(opened.entries[0]).toMatchObject({ id: r.id, namespace: 'w1', state: 'in_flight' });
        r.state = 'complete';
        r.status = 429;
        r.error = { status: 429, message: 'slow down', type: 'requests', param: null, code: 'rate_limit_exceeded' };
        await state.journal.commit(r);
        const changed = await state.journal.list('w1', { since: opened.rev });
        expect(changed.entries.map((e) => [e.id, e.state, e.status, e.error?.code])).toEqual([[r.id, 'complete', 429, 'rate_limit_exceeded']]);
        expect(changed.entries[0]!.rev).toBeGreaterThan(opened.entries[0]!.rev);
        expect((await state.journal.list('w1', { since: changed.rev })).entries).toEqual([]);
      });

      it('keeps namespaces apart, lists all of them with *, and finds an entry by id in any', async () => {
        const state = await make();
        const a = await record(state, 'a', { fields: { prompt: 'one' } });
        const b = await record(state, 'b', { fields: { prompt: 'two' } });
        expect((await state.journal.list('a')).entries.map((e) => e.id)).toEqual([a.id]);
        expect((await state.journal.list('b')).entries.map((e) => e.id)).toEqual([b.id]);
        expect((await state.journal.list('*')).entries.map((e) => e.id)).toEqual([a.id, b.id]);
        expect((await state.journal.get('*', b.id))?.fields).toEqual({ prompt: 'two' });
        expect(await state.journal.get('a', b.id)).toBeUndefined();
      });

      it('filters by model, status class, prompt text and field values', async () => {
        const state = await make();
        await record(state, 'f', { status: 200, fields: { prompt: 'a red rose', model: 'gpt-image-1', size: '1024x1024' } });
        const bad = await record(state, 'f', { status: 400, fields: { prompt: 'a blue bird', model: 'dall-e-2', size: '7x7' } });
        const ids = async (filter: Parameters<SandboxState['journal']['list']>[1]) => (await state.journal.list('f', filter)).entries.map((e) => e.id);
        expect(await ids({ model: 'dall-e-2' })).toEqual([bad.id]);
        expect(await ids({ status: '4xx' })).toEqual([bad.id]);
        expect(await ids({ status: 400 })).toEqual([bad.id]);
        expect(await ids({ prompt: 'blue' })).toEqual([bad.id]);
        expect(await ids({ fields: { size: '7x7' } })).toEqual([bad.id]);
        expect(await ids({ fields: { size: '7x7' }, model: 'gpt-image-1' })).toEqual([]);
        expect(await ids({ limit: 1 })).toEqual([bad.id]);
      });

      it('serves the bytes it keeps, with the content type of their format, and forgets a cleared namespace only', async () => {
        const state = await make();
        const kept = await record(state, 'k');
        const other = await record(state, 'other');
        const blob = await state.journal.blob('k', kept.id, 'files', 0);
        expect(blob?.contentType).toBe('image/png');
        expect(blob?.bytes.equals(kept.files[0]!.buffer!)).toBe(true);
        expect(await state.journal.blob('k', kept.id, 'files', 1)).toBeUndefined();
        expect(await state.journal.clear('k')).toBe(1);
        expect((await state.journal.list('k')).entries).toEqual([]);
        expect(await state.journal.blob('*', kept.id, 'files', 0)).toBeUndefined();
        expect((await state.journal.list('other')).entries.map((e) => e.id)).toEqual([other.id]);
      });

      it('keeps and serves every kind of blob (uploads, mask, outputs, partials) and the response as recorded', async () => {
        const state = await make();
        const png = (n: number) => ({ meta: { index: 0, format: 'png', bytes: n }, buffer: Buffer.alloc(n, n) });
        const response = { headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: null, events: [{ event: 'image_edit.partial_image', at_ms: 12.5, data: { b64_json: { $image: { kind: 'partials', index: 0 } } } }] };
        const mask = { ...sampleRecord('k').files[0]!, meta: { ...sampleRecord('k').files[0]!.meta, field: 'mask', param: 'mask' } };
        const r = await record(state, 'k', { mask, outputs: [png(7)], partials: [png(5), { ...png(6), meta: { index: 1, format: 'webp', bytes: 6 } }], response });
        for (const { kind, index, blob } of blobSlots(r)) {
          const served = await state.journal.blob('k', r.id, kind, index);
          expect([kind, index, served?.bytes.equals(blob.buffer!)]).toEqual([kind, index, true]);
        }
        expect((await state.journal.blob('k', r.id, 'partials', 1))?.contentType).toBe('image/webp');
        expect(await state.journal.blob('k', r.id, 'partials', 2)).toBeUndefined();
        const entry = (await state.journal.get('k', r.id))!;
        expect(entry.response).toEqual(response);
        expect(entry.partials.map((p) => p.url)).toEqual([blobPath(r.id, 'partials', 0), blobPath(r.id, 'partials', 1)]);
        expect(entry.mask?.url).toBe(blobPath(r.id, 'mask', 0));
      });

      it('reports the entries removed after a revision (cleared, or dropped by the size bound) to `since` reads, per namespace', async () => {
        const state = await make({ journalSize: 3 });
        const a1 = await record(state, 'a');
        const a2 = await record(state, 'a');
        const b1 = await record(state, 'b');
        const { rev, removed } = await state.journal.list('*');
        expect(removed).toEqual([]);
        await state.journal.clear('a');
        const b2 = await record(state, 'b');
        const c1 = await record(state, 'c');
        const d1 = await record(state, 'd'); // the bound drops b1, the oldest
        const changed = await state.journal.list('*', { since: rev });
        expect(changed.entries.map((e) => e.id)).toEqual([b2.id, c1.id, d1.id]);
        expect(changed.removed).toEqual([a1.id, a2.id, b1.id]);
        expect(changed.rev).toBeGreaterThan(rev);
        expect((await state.journal.list('b', { since: rev })).removed).toEqual([b1.id]);
        expect(await state.journal.list('*', { since: changed.rev })).toEqual({ entries: [], rev: changed.rev, removed: [] });
      });

      it('asks a `since` read older than the removals it remembers to read everything again (removed: null)', async () => {
        const state = await make({ journalSize: 5 });
        const { rev } = await state.journal.list('*');
        for (let i = 0; i < 1010; i++) await record(state, 'a', {}, 0);
        expect((await state.journal.list('*', { since: rev })).removed).toBeNull();
        const recent = (await state.journal.list('*')).rev;
        await record(state, 'a', {}, 0);
        expect((await state.journal.list('*', { since: recent })).removed).toHaveLength(1);
      });

      it('holds SANDBOX_JOURNAL_SIZE entries for all namespaces together, dropping the oldest', async () => {
        const state = await make({ journalSize: 3 });
        const made = [];
        for (const ns of ['a', 'b', 'c', 'd', 'e']) made.push(await record(state, ns));
        expect((await state.journal.list('*')).entries.map((e) => e.id)).toEqual(made.slice(2).map((r) => r.id));
        expect((await state.journal.list('a')).entries).toEqual([]);
      });

      it('keeps nothing with SANDBOX_JOURNAL_SIZE 0, and a request the bound dropped while in flight stays dropped', async () => {
        const none = await make({ journalSize: 0 });
        await record(none, 'z');
        expect((await none.journal.list('*')).entries).toEqual([]);
        const state = await make({ journalSize: 1 });
        const early = sampleRecord('a');
        await state.journal.open(early);
        const late = await record(state, 'b');
        early.state = 'complete';
        early.status = 200;
        await state.journal.commit(early);
        expect((await state.journal.list('*')).entries.map((e) => e.id)).toEqual([late.id]);
        expect(await state.journal.get('*', early.id)).toBeUndefined();
      });

      it('releases the oldest bytes past SANDBOX_JOURNAL_BYTES and keeps their descriptions', async () => {
        const state = await make({ journalBytes: 250 });
        const made = [];
        for (const ns of ['a', 'b', 'c']) made.push(await record(state, ns, {}, 100));
        const entries = (await state.journal.list('*')).entries;
        expect(entries.map((e) => e.files[0]!.url === null)).toEqual([true, false, false]);
        expect(entries[0]!.files[0]!.sha256).toBe(made[0]!.files[0]!.meta.sha256);
        expect(await state.journal.blob('*', made[0]!.id, 'files', 0)).toBeUndefined();
      });

      it('counts streamed partial images against SANDBOX_JOURNAL_BYTES like any other bytes', async () => {
        const state = await make({ journalBytes: 250 });
        const partial = { meta: { index: 0, format: 'png', bytes: 100 }, buffer: Buffer.alloc(100, 1) };
        const first = await record(state, 'a', { partials: [partial] }, 100);
        await record(state, 'b', {}, 100);
        const entry = (await state.journal.get('*', first.id))!;
        expect([entry.files[0]!.url, entry.partials[0]!.url]).toEqual([null, null]);
        expect(await state.journal.blob('*', first.id, 'partials', 0)).toBeUndefined();
      });
    });

    describe('armed scenarios', () => {
      it('are used oldest first, by matching requests of their own namespace only', async () => {
        const state = await make();
        await state.scenarios.arm('a', 'rate_limit', 1, { prompt: 'rose' });
        await state.scenarios.arm('a', 'server_error', 2, null);
        expect(await state.scenarios.take('b', { model: 'gpt-image-1', prompt: 'rose' })).toBeUndefined();
        expect(await state.scenarios.take('a', { model: 'gpt-image-1', prompt: 'tulip' })).toBe('server_error');
        expect(await state.scenarios.take('a', { model: 'gpt-image-1', prompt: 'a rose' })).toBe('rate_limit');
        const left = await state.scenarios.list('a');
        expect(left.map((s) => [s.scenario, s.times, s.remaining])).toEqual([['server_error', 2, 1]]);
        expect(await state.scenarios.clear('a')).toBe(1);
        expect(await state.scenarios.take('a', { model: 'x', prompt: '' })).toBeUndefined();
      });

      it('match the model too', async () => {
        const state = await make();
        await state.scenarios.arm('m', 'overloaded', 1, { model: 'dall-e-2' });
        expect(await state.scenarios.take('m', { model: 'gpt-image-1', prompt: '' })).toBeUndefined();
        expect(await state.scenarios.take('m', { model: 'dall-e-2', prompt: '' })).toBe('overloaded');
      });

      it('are spent exactly `times` times under 200 concurrent takes', async () => {
        const state = await make();
        await state.scenarios.arm('race', 'rate_limit', 50, null);
        await state.scenarios.arm('calm', 'rate_limit', 5, null);
        const taken = await Promise.all(Array.from({ length: 200 }, () => state.scenarios.take('race', { model: 'gpt-image-1', prompt: 'x' })));
        expect(taken.filter((s) => s === 'rate_limit')).toHaveLength(50);
        expect(await state.scenarios.list('race')).toEqual([]);
        expect((await state.scenarios.list('calm'))[0]?.remaining).toBe(5);
      });
    });

    describe('url files', () => {
      it('serve the stored bytes by an unguessable name until reset of their namespace', async () => {
        const state = await make();
        const bytes = Buffer.from('png bytes');
        const a = await state.urlFiles.put('a', bytes, 'png');
        const b = await state.urlFiles.put('b', bytes, 'webp');
        expect(a.name).toMatch(/^img-[A-Za-z0-9_-]{24}\.png$/);
        const got = await state.urlFiles.get(a.name);
        expect(got?.bytes.equals(bytes)).toBe(true);
        expect(got?.contentType).toBe('image/png');
        expect(got!.expiresAt).toBeGreaterThan(Date.now());
        await state.reset('a');
        expect(await state.urlFiles.get(a.name)).toBeUndefined();
        expect((await state.urlFiles.get(b.name))?.contentType).toBe('image/webp');
      });

      it('are gone once SANDBOX_URL_TTL_SECONDS has passed', async () => {
        const state = await make({ urlTtlSeconds: 1 });
        const { name, expiresAt } = await state.urlFiles.put('t', Buffer.from('x'), 'png');
        expect(expiresAt - Date.now()).toBeLessThanOrEqual(1000);
        expect(await state.urlFiles.get(name)).toBeDefined();
        await new Promise((resolve) => setTimeout(resolve, 1100));
        expect(await state.urlFiles.get(name)).toBeUndefined();
      });
    });

    describe('file objects', () => {
      const upload = (name: string, bytes = 4, purpose: 'vision' | 'user_data' = 'vision', expiresAfterSeconds?: number) => ({
        content: Buffer.alloc(bytes, name.charCodeAt(0)),
        filename: name,
        contentType: 'image/png',
        purpose,
        expiresAfterSeconds,
      });

      it('store an upload as the live file object, served back to its own namespace only', async () => {
        const state = await make();
        const object = await state.fileObjects.create('a', upload('x.png'));
        expect(object).toEqual({ id: expect.stringMatching(/^file-[A-Za-z0-9]{22}$/), object: 'file', bytes: 4, created_at: now / 1000, expires_at: now / 1000 + 3600, filename: 'x.png', purpose: 'vision', status: 'processed', status_details: null });
        expect((await state.fileObjects.retrieve('a', object.id))?.content.equals(Buffer.alloc(4, 120))).toBe(true);
        expect(await state.fileObjects.retrieve('b', object.id)).toBeUndefined();
        expect(await state.fileObjects.delete('b', object.id)).toBe(false);
        expect(await state.fileObjects.delete('a', object.id)).toBe(true);
        expect(await state.fileObjects.retrieve('a', object.id)).toBeUndefined();
      });

      it('expire at the sooner of SANDBOX_FILES_TTL_SECONDS and their expires_after', async () => {
        const state = await make({ filesTtlSeconds: 7200 });
        const short = await state.fileObjects.create('a', upload('s', 4, 'vision', 3600));
        const long = await state.fileObjects.create('a', upload('l'));
        expect([short.expires_at, long.expires_at]).toEqual([now / 1000 + 3600, now / 1000 + 7200]);
        now += 3600 * 1000;
        expect(await state.fileObjects.retrieve('a', short.id)).toBeUndefined();
        expect(await state.fileObjects.retrieve('a', long.id)).toBeDefined();
      });

      it('keep SANDBOX_MAX_FILES and SANDBOX_MAX_FILES_BYTES for all namespaces together, dropping the oldest', async () => {
        const state = await make({ maxFiles: 2, maxFilesBytes: 10 });
        const first = await state.fileObjects.create('a', upload('1'));
        await state.fileObjects.create('b', upload('2'));
        await state.fileObjects.create('a', upload('3'));
        expect(await state.fileObjects.retrieve('a', first.id)).toBeUndefined();
        const big = await state.fileObjects.create('b', upload('4', 8));
        expect((await state.fileObjects.list('a', { purpose: undefined, limit: 10, order: 'asc', after: undefined })).data).toEqual([]);
        expect((await state.fileObjects.list('b', { purpose: undefined, limit: 10, order: 'asc', after: undefined })).data.map((o) => o.id)).toEqual([big.id]);
      });

      it('list newest first or oldest first, by purpose, in pages after a cursor, per namespace', async () => {
        const state = await make();
        const ids: string[] = [];
        for (const [name, purpose] of [['1', 'vision'], ['2', 'user_data'], ['3', 'vision'], ['4', 'vision']] as const) ids.push((await state.fileObjects.create('a', upload(name, 4, purpose))).id);
        await state.fileObjects.create('other', upload('5'));
        const page = await state.fileObjects.list('a', { purpose: undefined, limit: 2, order: 'desc', after: undefined });
        expect(page).toEqual({ data: [expect.objectContaining({ id: ids[3] }), expect.objectContaining({ id: ids[2] })], hasMore: true });
        const next = await state.fileObjects.list('a', { purpose: undefined, limit: 2, order: 'desc', after: ids[2] });
        expect(next.data.map((o) => o.id)).toEqual([ids[1], ids[0]]);
        expect(next.hasMore).toBe(false);
        expect((await state.fileObjects.list('a', { purpose: 'vision', limit: 10, order: 'asc', after: undefined })).data.map((o) => o.id)).toEqual([ids[0], ids[2], ids[3]]);
        expect((await state.fileObjects.list('a', { purpose: undefined, limit: 10, order: 'asc', after: 'file-unknown' })).data).toEqual([]);
      });

      it('are forgotten by a reset of their namespace only', async () => {
        const state = await make();
        const a = await state.fileObjects.create('a', upload('a'));
        const b = await state.fileObjects.create('b', upload('b'));
        await state.reset('a');
        expect(await state.fileObjects.retrieve('a', a.id)).toBeUndefined();
        expect(await state.fileObjects.retrieve('b', b.id)).toBeDefined();
      });
    });

    describe('namespaces', () => {
      it('lists the active ones with their counts, and keeps settings until reset', async () => {
        const state = await make();
        await state.namespaces.touch('w1');
        await record(state, 'w1');
        await state.scenarios.arm('w1', 'rate_limit', 1, null);
        expect(await state.namespaces.settings('w1')).toEqual({ latencyMs: null, seed: null });
        expect(await state.namespaces.updateSettings('w1', { latencyMs: 25 })).toEqual({ latencyMs: 25, seed: null });
        expect(await state.namespaces.updateSettings('w1', { seed: 'seven' })).toEqual({ latencyMs: 25, seed: 'seven' });
        const listed = (await state.namespaces.list()).find((n) => n.name === 'w1');
        expect(listed).toMatchObject({ name: 'w1', requests: 1, armed: 1, lastActiveAt: now });
        await state.reset('w1');
        expect(await state.namespaces.settings('w1')).toEqual({ latencyMs: null, seed: null });
        expect((await state.journal.list('w1')).entries).toEqual([]);
        expect(await state.scenarios.list('w1')).toEqual([]);
      });

      it('forget one idle past SANDBOX_NAMESPACE_IDLE_SECONDS, with its state, but never the default one', async () => {
        const state = await make({ namespaceIdleSeconds: 60 });
        for (const ns of [DEFAULT_NAMESPACE, 'idle']) {
          await state.namespaces.touch(ns);
          await record(state, ns);
          await state.scenarios.arm(ns, 'rate_limit', 1, null);
        }
        now += 61_000;
        await state.namespaces.touch('fresh');
        const names = (await state.namespaces.list()).map((n) => n.name);
        expect(names).toContain(DEFAULT_NAMESPACE);
        expect(names).not.toContain('idle');
        expect((await state.journal.list('idle')).entries).toEqual([]);
        expect(await state.scenarios.list('idle')).toEqual([]);
        expect((await state.journal.list(DEFAULT_NAMESPACE)).entries).toHaveLength(1);
      });

      it('keep at most SANDBOX_MAX_NAMESPACES, forgetting the least recently active', async () => {
        const state = await make({ maxNamespaces: 3 });
        for (const ns of ['n1', 'n2', 'n3']) {
          now += 1000;
          await state.namespaces.touch(ns);
          await record(state, ns);
        }
        now += 1000;
        await state.namespaces.touch('n1');
        now += 1000;
        await state.namespaces.touch('n4');
        expect((await state.namespaces.list()).map((n) => n.name).sort()).toEqual(['n1', 'n3', 'n4']);
        expect((await state.journal.list('n2')).entries).toEqual([]);
      });
    });

    describe('outcome coverage', () => {
      const variant = (param: string) => JSON.stringify([400, 'invalid_request_error', 'missing_required_parameter', param]);

      it('counts each outcome per namespace with the variants seen, and every namespace together with *', async () => {
        const state = await make();
        await state.coverage.record('w1', 'error:missingParameter', variant('prompt'));
        await state.coverage.record('w1', 'error:missingParameter', variant('prompt'));
        await state.coverage.record('w1', 'error:missingParameter', variant('image'));
        await state.coverage.record('w1', 'success:gpt-image:multipart:b64_json');
        await state.coverage.record('w2', 'success:gpt-image:multipart:b64_json');
        expect(await state.coverage.counts('w1')).toEqual({
          'error:missingParameter': { count: 3, variants: { [variant('prompt')]: 2, [variant('image')]: 1 } },
          'success:gpt-image:multipart:b64_json': { count: 1, variants: {} },
        });
        expect(await state.coverage.counts('w2')).toEqual({ 'success:gpt-image:multipart:b64_json': { count: 1, variants: {} } });
        expect(await state.coverage.counts('nobody')).toEqual({});
        expect(await state.coverage.counts('*')).toEqual({
          'error:missingParameter': { count: 3, variants: { [variant('prompt')]: 2, [variant('image')]: 1 } },
          'success:gpt-image:multipart:b64_json': { count: 2, variants: {} },
        });
      });

      it(`lists at most ${MAX_OUTCOME_VARIANTS} variants of an outcome and still counts every one`, async () => {
        const state = await make();
        for (let i = 0; i < MAX_OUTCOME_VARIANTS + 5; i++) await state.coverage.record('w1', 'error:unknownParameter', variant(`field${i}`));
        await state.coverage.record('w1', 'error:unknownParameter', variant('field0'));
        const { count, variants } = (await state.coverage.counts('w1'))['error:unknownParameter']!;
        expect(count).toBe(MAX_OUTCOME_VARIANTS + 6);
        expect(Object.keys(variants)).toHaveLength(MAX_OUTCOME_VARIANTS);
        expect(variants[variant('field0')]).toBe(2);
      });

      it('counts exactly under 200 concurrent records', async () => {
        const state = await make();
        await Promise.all(Array.from({ length: 200 }, (_, i) => state.coverage.record(i % 2 ? 'w1' : 'w2', 'scenario:rate_limit')));
        expect((await state.coverage.counts('w1'))['scenario:rate_limit']?.count).toBe(100);
        expect((await state.coverage.counts('*'))['scenario:rate_limit']?.count).toBe(200);
      });

      it("goes with a namespace's reset or expiry but stays in the run's tally, which only resetAll forgets", async () => {
        const state = await make({ namespaceIdleSeconds: 60 });
        for (const ns of ['w1', 'idle']) {
          await state.namespaces.touch(ns);
          await state.coverage.record(ns, 'scenario:timeout');
        }
        await state.reset('w1');
        expect(await state.coverage.counts('w1')).toEqual({});
        now += 61_000;
        await state.namespaces.touch('fresh');
        expect(await state.coverage.counts('idle')).toEqual({});
        expect(await state.coverage.counts('*')).toEqual({ 'scenario:timeout': { count: 2, variants: {} } });
        await state.coverage.record('fresh', 'scenario:timeout');
        await state.resetAll();
        expect(await state.coverage.counts('*')).toEqual({});
        expect(await state.coverage.counts('fresh')).toEqual({});
      });
    });

    it('resetAll forgets every namespace', async () => {
      const state = await make();
      await record(state, 'a');
      await state.scenarios.arm('b', 'rate_limit', 1, null);
      await state.resetAll();
      expect((await state.journal.list('*')).entries).toEqual([]);
      expect(await state.scenarios.list('b')).toEqual([]);
    });

    it('is ready', async () => {
      const state = await make();
      await expect(state.ready()).resolves.toBeUndefined();
    });
  });
}

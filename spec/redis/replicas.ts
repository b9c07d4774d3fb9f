/**
 * Three real sandbox processes (`node dist/server/main.js`) on one Redis, behind a round-robin
 * proxy: what a team behind a load balancer sees. Armed scenarios hold exactly across
 * replicas, any replica serves any replica's urls and journal, a killed replica loses nothing
 * the others can't serve, and Redis going away gives 503s (never invented state) until it is
 * back. Tests run in order: the last ones kill a replica and stop Redis.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createUrlSigner } from '../../server/http/signed-url';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { startRedisServer, redisServerPath, type TestRedis } from '../helpers/redis-server';
import { startRoundRobinProxy, type RoundRobinProxy } from '../helpers/round-robin-proxy';
import { startTcpRelay, type TcpRelay } from '../helpers/tcp-relay';
import { TEST_KEY } from '../helpers/test-sandbox';
import { builtServer } from '../process/build-dist';
import { listeningUrl, runSandbox, type SandboxProcess } from '../process/sandbox-process';

const SECRET = `replicas-${randomBytes(12).toString('hex')}`;
const EDITS = '/v1/images/edits';
const NS = 'x-sandbox-namespace';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Replica {
  readonly process: SandboxProcess;
  readonly url: string;
}

/** How Redis is taken away and given back: stopping our own server, or cutting a relay to someone else's. */
interface Outage {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Redis still connected but answering nothing. */
  pause(): void;
  resume(): void;
  dispose(): Promise<void>;
}

async function outageFor(sharedUrl: () => string): Promise<Outage> {
  if (redisServerPath()) {
    const own: TestRedis = await startRedisServer();
    return { url: own.url, stop: own.stop, start: own.start, pause: own.pause, resume: own.resume, dispose: own.dispose };
  }
  const relay: TcpRelay = await startTcpRelay(sharedUrl());
  return { url: relay.url, stop: relay.cut, start: relay.restore, pause: relay.pause, resume: relay.resume, dispose: relay.cut };
}

function editForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('image', new Blob([fixture('scene-rgba-256.png')], { type: 'image/png' }), 'scene-rgba-256.png');
  return form;
}

const editFields = { prompt: 'a red rose', model: 'dall-e-2', size: '256x256' };

async function postEdit(base: string, namespace: string, fields: Record<string, string> = editFields): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(base + EDITS, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, [NS]: namespace }, body: editForm(fields) });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json() };
}

async function getBytes(url: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** `url` as served by `base` instead of the replica that made it. */
const via = (base: string, url: string) => {
  const parsed = new URL(url);
  return base + parsed.pathname + parsed.search;
};

/** The journal commits when a response closes, just after the client has it: wait for it (bounded). */
async function completeEntries(base: string, namespace: string, count: number): Promise<any[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { body } = await getJson(`${base}/__sandbox/requests?namespace=${namespace}`);
    const complete = (body.data as any[]).filter((e) => e.state === 'complete');
    if (complete.length >= count || Date.now() > deadline) return body.data as any[];
    await sleep(50);
  }
}

export function describeReplicas(sharedRedisUrl: () => string): void {
  describe('three replicas on one Redis behind a round-robin proxy', () => {
    jest.setTimeout(180_000);
    let outage: Outage;
    let replicas: Replica[] = [];
    let proxy: RoundRobinProxy;
    const prefix = `test-replicas-${randomBytes(6).toString('hex')}`;

    beforeAll(async () => {
      const [buildDir, redis] = await Promise.all([builtServer(), outageFor(sharedRedisUrl)]);
      outage = redis;
      const env = {
        SANDBOX_STATE_URL: outage.url,
        SANDBOX_STATE_PREFIX: prefix,
        SANDBOX_URL_SECRET: SECRET,
        // Generous for a loaded 2-core machine (200 concurrent edits), still short for the hang test.
        SANDBOX_STATE_TIMEOUT_MS: '5000',
        SANDBOX_LOG_LEVEL: 'info',
        SANDBOX_NOW: '1767225600',
      };
      const processes = [0, 1, 2].map(() => runSandbox(buildDir, ['--port', '0', '--host', '127.0.0.1'], env));
      replicas = await Promise.all(processes.map(async (p) => ({ process: p, url: await listeningUrl(p, 30_000) })));
      proxy = await startRoundRobinProxy(replicas.map((r) => r.url));
    }, 180_000);

    afterAll(async () => {
      await proxy?.close();
      for (const r of replicas) if (r.process.child.exitCode === null && r.process.child.signalCode === null) r.process.child.kill('SIGKILL');
      await Promise.all(replicas.map((r) => r.process.exited));
      await outage?.dispose();
    });

    it('spends an armed N exactly N times under 200 concurrent requests spread over the replicas', async () => {
      const armed = await fetch(`${proxy.url}/__sandbox/scenarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [NS]: 'race' },
        body: JSON.stringify({ scenario: 'rate_limit', times: 37 }),
      });
      expect(armed.status).toBe(201);
      const before = proxy.served.length;
      const results = await Promise.all(Array.from({ length: 200 }, () => postEdit(proxy.url, 'race', { ...editFields, response_format: 'b64_json' })));
      const statuses = results.map((r) => r.status);
      expect(results.filter((r) => r.status !== 200 && r.status !== 429).map((r) => r.body)).toEqual([]);
      expect(statuses.filter((s) => s === 429)).toHaveLength(37);
      expect(statuses.filter((s) => s === 200)).toHaveLength(163);
      // Every replica took its share, so the count held across processes, not inside one.
      const served = proxy.served.slice(before);
      for (const replica of [0, 1, 2]) expect(served.filter((i) => i === replica).length).toBeGreaterThan(40);
      expect((await getJson(`${replicas[1]!.url}/__sandbox/scenarios`, { [NS]: 'race' })).body.data).toEqual([]);
    });

    it('serves a url made by replica A through replica B and C with the same sha256', async () => {
      const made = await postEdit(replicas[0]!.url, 'urls');
      expect(made.status).toBe(200);
      const url = made.body.data[0].url as string;
      expect(url.startsWith(replicas[0]!.url)).toBe(true);
      const fromA = await getBytes(url);
      expect(fromA.status).toBe(200);
      for (const other of [replicas[1]!, replicas[2]!]) {
        const fetched = await getBytes(via(other.url, url));
        expect(fetched.status).toBe(200);
        expect(sha256(fetched.bytes)).toBe(sha256(fromA.bytes));
      }
    });

    it('lists every request in the journal, whichever replica reads it', async () => {
      const sent = await Promise.all(Array.from({ length: 9 }, () => postEdit(proxy.url, 'journal')));
      const ids = sent.map((r) => r.headers.get('x-request-id')).sort();
      expect(sent.every((r) => r.status === 200)).toBe(true);
      for (const replica of replicas) {
        const entries = await completeEntries(replica.url, 'journal', 9);
        expect(entries.map((e) => e.id).sort()).toEqual(ids);
        expect(entries.every((e) => e.state === 'complete' && e.status === 200)).toBe(true);
      }
      const listed = await getJson(`${replicas[2]!.url}/__sandbox/requests?namespace=journal`);
      expectToMatchSpec({ status: listed.status, body: listed.body }, '/__sandbox/requests', 'get');
    });

    it('refuses a tampered url and an expired one on every replica', async () => {
      const made = await postEdit(replicas[1]!.url, 'signed');
      const url = new URL(made.body.data[0].url as string);
      const name = url.pathname.split('/').pop()!;
      const tampered = `${url.pathname}?expires=${Number(url.searchParams.get('expires')) + 60}&signature=${url.searchParams.get('signature')}`;
      const expired = `${url.pathname}?${createUrlSigner(SECRET).sign(name, Date.now() - 1_000)}`;
      for (const replica of replicas) {
        const refused = await fetch(replica.url + tampered);
        const body = (await refused.json()) as { error: { code: string } };
        expect(refused.status).toBe(403);
        expectToMatchSpec({ status: refused.status, body }, '/__sandbox/files/{name}', 'get');
        expect(body.error.code).toBe('invalid_url_signature');
        const gone = await fetch(replica.url + expired);
        const goneBody = (await gone.json()) as { error: { code: string } };
        expect(gone.status).toBe(404);
        expect(goneBody.error.code).toBe('file_not_found');
        expect((await fetch(replica.url + url.pathname + url.search)).status).toBe(200);
      }
    });

    it('loses nothing a killed replica made that the others can serve: urls, journal entries, uploads', async () => {
      const victim = replicas[2]!;
      const made = await Promise.all([0, 1, 2].map(() => postEdit(victim.url, 'killed')));
      const urls = made.map((r) => r.body.data[0].url as string);
      const shas = await Promise.all(urls.map(async (u) => sha256((await getBytes(u)).bytes)));
      await completeEntries(victim.url, 'killed', 3);
      victim.process.child.kill('SIGKILL');
      await victim.process.exited;
      for (const [i, url] of urls.entries()) {
        const fetched = await getBytes(via(proxy.url, url));
        expect(fetched.status).toBe(200);
        expect(sha256(fetched.bytes)).toBe(shas[i]);
      }
      const entries = await completeEntries(proxy.url, 'killed', 3);
      expect(entries.map((e) => e.id).sort()).toEqual(made.map((r) => r.headers.get('x-request-id')).sort());
      const upload = await getBytes(proxy.url + (entries[0].files[0].url as string));
      expect(upload.status).toBe(200);
      expect(sha256(upload.bytes)).toBe(sha256(fixture('scene-rgba-256.png')));
      // The proxy skips the dead replica: every request still gets an answer.
      const after = await Promise.all(Array.from({ length: 6 }, () => postEdit(proxy.url, 'killed')));
      expect(after.map((r) => r.status)).toEqual(Array(6).fill(200));
    });

    it('answers 503 state_unavailable within SANDBOX_STATE_TIMEOUT_MS while Redis hangs, and answers right once it stops hanging', async () => {
      const replica = replicas[0]!;
      outage.pause();
      try {
        const started = Date.now();
        const [ready, edit] = await Promise.all([getJson(`${replica.url}/__sandbox/ready`), postEdit(replica.url, 'hang')]);
        expect([ready.status, edit.status]).toEqual([503, 503]);
        expect(edit.body.error.code).toBe('state_unavailable');
        expect(Date.now() - started).toBeLessThan(12_000);
      } finally {
        outage.resume();
      }
      // Late replies to the timed-out commands must not be taken for the answers to new ones.
      const after = await Promise.all([0, 1, 2].map(() => postEdit(replica.url, 'hang')));
      expect(after.map((r) => r.status)).toEqual([200, 200, 200]);
      const entries = await completeEntries(replica.url, 'hang', 3);
      expect(entries.map((e) => e.id).sort()).toEqual(after.map((r) => r.headers.get('x-request-id')).sort());
      expect((await getJson(`${replica.url}/__sandbox/scenarios`, { [NS]: 'hang' })).body.data).toEqual([]);
    });

    it('answers 503 state_unavailable (readiness and edits) while Redis is stopped, and serves again once it is back', async () => {
      const live = replicas.filter((r) => r.process.child.exitCode === null && r.process.child.signalCode === null);
      expect(live.map((r) => r.url)).toEqual([replicas[0]!.url, replicas[1]!.url]);
      const before = await postEdit(live[0]!.url, 'outage');
      expect(before.status).toBe(200);
      await completeEntries(live[0]!.url, 'outage', 1);

      await outage.stop();
      for (const replica of live) {
        const started = Date.now();
        const ready = await getJson(`${replica.url}/__sandbox/ready`);
        expect(ready.status).toBe(503);
        expectToMatchSpec(ready, '/__sandbox/ready', 'get');
        expect(ready.body.error.code).toBe('state_unavailable');
        const edit = await postEdit(replica.url, 'outage');
        expect(edit.status).toBe(503);
        expectToMatchSpec({ status: edit.status, body: edit.body }, EDITS);
        expect(edit.body.error.code).toBe('state_unavailable');
        const journal = await getJson(`${replica.url}/__sandbox/requests?namespace=outage`);
        expect(journal.status).toBe(503);
        expectToMatchSpec(journal, '/__sandbox/requests', 'get');
        // Bounded: no answer waits on Redis longer than its timeout (5 s here) and a little more.
        expect(Date.now() - started).toBeLessThan(12_000);
        expect((await fetch(`${replica.url}/__sandbox/health`)).status).toBe(200);
      }

      await outage.start();
      for (const replica of live) {
        const deadline = Date.now() + 15_000;
        while ((await fetch(`${replica.url}/__sandbox/ready`)).status !== 200) {
          if (Date.now() > deadline) throw new Error(`${replica.url} not ready 15 s after Redis came back`);
          await sleep(100);
        }
        expect((await postEdit(replica.url, 'outage')).status).toBe(200);
      }
      // Nothing was invented meanwhile: the journal holds the requests that were served.
      const entries = await completeEntries(proxy.url, 'outage', 3);
      expect(entries.map((e) => e.status)).toEqual([200, 200, 200]);
      expect(entries[0].id).toBe(before.headers.get('x-request-id'));
      expect((await getBytes(via(proxy.url, before.body.data[0].url))).status).toBe(200);
      // Each replica said so in its log, once.
      for (const replica of live) expect(replica.process.stdout()).toMatch(/state backend unavailable[\s\S]*state backend back/);
    });
  });
}

/**
 * `npm run soak`: a bounded soak of one sandbox at full concurrency with a mix of valid,
 * invalid, streaming and aborted requests. Prints requests served, answers by status, RSS at
 * start and end, the caches' sizes, open handles after close, and the 5xx count. Asserts
 * nothing and is not part of `npm test`; it exits 1 only when a 5xx or a crash was seen.
 *
 *   npm run soak                                  # 60 s, 16 concurrent clients
 *   SOAK_SECONDS=300 SOAK_CONCURRENCY=32 npm run soak
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startSandbox } from '../server/start-sandbox';
import type { MemoryState } from '../server/stores/memory/memory-state';

const ROOT = path.resolve(__dirname, '..', '..');
const EDITS = '/v1/images/edits';
const KEY = 'sk-soak-0123456789abcdef';
const MB = 1024 * 1024;

/** A positive number from the environment (npm passes extra arguments after the whole script, so no flags). */
function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return value;
}

const fixture = (name: string): Buffer => fs.readFileSync(path.join(ROOT, 'fixtures', 'images', name));

interface Part {
  readonly name: string;
  readonly value: string | Buffer;
  readonly filename?: string;
  readonly type?: string;
}

const BOUNDARY = 'soak-boundary';
function multipart(parts: readonly Part[]): Buffer {
  return Buffer.concat([
    ...parts.map((p) =>
      Buffer.concat([
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n` +
            (p.type ? `Content-Type: ${p.type}\r\n` : '') +
            '\r\n',
        ),
        Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value),
        Buffer.from('\r\n'),
      ]),
    ),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]);
}

const png = (name: string, field = 'image', bytes = fixture(name)): Part => ({ name: field, value: bytes, filename: name, type: 'image/png' });
const fields = (values: Record<string, string>): Part[] => Object.entries(values).map(([name, value]) => ({ name, value }));

/** One kind of request in the mix: its body, and how the client treats the answer. */
interface Kind {
  readonly name: string;
  readonly weight: number;
  readonly contentType: string;
  readonly body: Buffer;
  /** 'read': read the whole answer; 'abort-upload': hang up mid-body; 'abort-stream': hang up after the first bytes. */
  readonly client: 'read' | 'abort-upload' | 'abort-stream';
}

function kinds(): Kind[] {
  const multipartType = `multipart/form-data; boundary=${BOUNDARY}`;
  const dalle = { model: 'dall-e-2', size: '256x256', prompt: 'add a red rose' };
  const gpt = { model: 'gpt-image-1', quality: 'low', prompt: 'add a red rose' };
  const kind = (name: string, weight: number, parts: Part[], client: Kind['client'] = 'read'): Kind => ({ name, weight, contentType: multipartType, body: multipart(parts), client });
  return [
    kind('dall-e-2 url', 6, [...fields(dalle), png('scene-rgba-256.png')]),
    kind('dall-e-2 b64 n=2 with mask', 4, [...fields({ ...dalle, n: '2', response_format: 'b64_json' }), png('scene-rgba-256.png'), png('mask-256.png', 'mask')]),
    kind('gpt-image-1 json', 2, [...fields(gpt), png('scene-512.png')]),
    kind('gpt-image-1 stream', 2, [...fields({ ...gpt, stream: 'true', partial_images: '2' }), png('scene-512.png')]),
    kind('invalid n', 4, [...fields({ ...dalle, n: 'abc' }), png('scene-rgba-256.png')]),
    kind('missing image', 3, fields(dalle)),
    kind('corrupt image', 3, [...fields(gpt), png('corrupt-idat-512.png')]),
    kind('decompression bomb', 3, [...fields(gpt), png('bomb-50000x50000.png')]),
    kind('wrong mimetype', 2, [...fields(dalle), { ...png('scene-512.jpg'), type: 'image/jpeg' }]),
    kind('oversized for dall-e-2', 1, [...fields(dalle), png('big.png', 'image', Buffer.concat([fixture('scene-rgba-256.png'), Buffer.alloc(4 * MB)]))]),
    kind('aborted upload', 3, [...fields(gpt), png('scene-512.png')], 'abort-upload'),
    kind('aborted stream', 2, [...fields({ ...gpt, stream: 'true', partial_images: '3' }), png('scene-512.png')], 'abort-stream'),
    { name: 'JSON body', weight: 2, contentType: 'application/json', body: Buffer.from(JSON.stringify(dalle)), client: 'read' },
  ];
}

interface Tally {
  served: number;
  aborted: number;
  byStatus: Map<number, number>;
  byKind: Map<string, number>;
  clientErrors: Map<string, number>;
}

const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

function send(url: URL, agent: http.Agent, kind: Kind, tally: Tally): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: EDITS,
        agent,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': kind.contentType, 'content-length': kind.body.length },
      },
      (res) => {
        if (kind.client === 'abort-stream') {
          res.once('data', () => {
            req.destroy();
            tally.aborted++;
            bump(tally.byKind, kind.name);
            resolve();
          });
          res.once('end', () => resolve());
          return;
        }
        res.resume();
        res.on('end', () => {
          tally.served++;
          bump(tally.byStatus, res.statusCode ?? 0);
          bump(tally.byKind, kind.name);
          resolve();
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (kind.client === 'read') bump(tally.clientErrors, err.code ?? err.message);
      resolve();
    });
    if (kind.client === 'abort-upload') {
      req.write(kind.body.subarray(0, Math.floor(kind.body.length / 2)), () => {
        req.destroy();
        tally.aborted++;
        bump(tally.byKind, kind.name);
        resolve();
      });
      return;
    }
    req.end(kind.body);
  });
}

function pick(all: readonly Kind[], n: number): Kind {
  const total = all.reduce((sum, k) => sum + k.weight, 0);
  let at = n % total;
  for (const k of all) {
    if (at < k.weight) return k;
    at -= k.weight;
  }
  return all[0]!;
}

function countByType(resources: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of resources) bump(counts, type);
  return counts;
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const gc = () => (global as { gc?: () => void }).gc?.();

async function main(): Promise<void> {
  const seconds = setting('SOAK_SECONDS', 60);
  // Handles that exist before the sandbox does (stdio, opened lazily on first use): only new ones count as leaked.
  void process.stdout.writable;
  void process.stderr.writable;
  const handlesBefore = countByType(process.getActiveResourcesInfo());
  const concurrency = setting('SOAK_CONCURRENCY', 16);
  const sandbox = await startSandbox({ logLevel: 'silent', streamIntervalMs: 5, seed: 'soak' });
  const url = new URL(sandbox.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const all = kinds();
  const newTally = (): Tally => ({ served: 0, aborted: 0, byStatus: new Map(), byKind: new Map(), clientErrors: new Map() });

  // Warm up (contract, sharp, tokenizer) before the first RSS figure.
  for (const kind of all) if (kind.client === 'read') await send(url, agent, kind, newTally());
  const tally = newTally();
  gc();
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 250);
  // RSS at each quarter of the run: a plateau, not a slope, is what bounded caches look like.
  const quarters: number[] = [];
  const quarterTimers = [1, 2, 3].map((q) => setTimeout(() => quarters.push(process.memoryUsage().rss), (seconds * 1000 * q) / 4));

  console.log(`soak: ${seconds} s, ${concurrency} concurrent clients, ${all.length} kinds of request, against ${sandbox.url}`);
  const deadline = Date.now() + seconds * 1000;
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline) await send(url, agent, pick(all, next++ * 7919), tally);
  });
  await Promise.all(workers);
  clearInterval(sampler);
  quarterTimers.forEach(clearTimeout);

  agent.destroy();
  const connections = () => new Promise<number>((resolve) => sandbox.server.getConnections((_err, n) => resolve(n)));
  // The server sees the clients' FINs a moment after they are sent.
  for (let waited = 0; (await connections()) > 0 && waited < 2_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  const openConnections = await connections();
  const memory = sandbox.stores.state as MemoryState;
  const cached = {
    storedFiles: memory.urlFiles.size,
    storedBytes: memory.urlFiles.bytes,
    fitCacheBytes: sandbox.caches.fits.calculatedSize,
    journalEntries: memory.journal.size,
    journalBytes: memory.journal.bytes,
  };
  gc();
  const rssEnd = process.memoryUsage().rss;
  await sandbox.close({ graceMs: 1_000 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const handlesAfter = countByType(process.getActiveResourcesInfo());
  const handles = [...handlesAfter].filter(([type, n]) => n > (handlesBefore.get(type) ?? 0)).map(([type, n]) => `${type} x${n - (handlesBefore.get(type) ?? 0)}`);

  const fiveXx = [...tally.byStatus].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
  const line = (label: string, value: string | number) => console.log(`  ${label.padEnd(26)} ${value}`);
  line('requests answered', tally.served);
  line('requests aborted by client', tally.aborted);
  line('throughput', `${((tally.served + tally.aborted) / seconds).toFixed(1)} req/s`);
  line('answers by status', [...tally.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', '));
  line('by kind', [...tally.byKind].map(([k, n]) => `${k}: ${n}`).join(', '));
  line('client-side errors', tally.clientErrors.size === 0 ? 'none' : [...tally.clientErrors].map(([k, n]) => `${k}: ${n}`).join(', '));
  line('RSS start / peak / end', `${mb(rssStart)} / ${mb(rssPeak)} / ${mb(rssEnd)} (start and end after a full GC)`);
  line('RSS at 1/4, 1/2, 3/4', quarters.map(mb).join(', '));
  line('stored url files', `${cached.storedFiles} (${mb(cached.storedBytes)}; bounded by SANDBOX_MAX_STORED_FILES/BYTES)`);
  line('journal', `${cached.journalEntries} entries, ${mb(cached.journalBytes)} of images (bounded by SANDBOX_JOURNAL_SIZE/BYTES)`);
  line('decoded-input cache', `${mb(cached.fitCacheBytes)} (bounded by SANDBOX_RENDER_CACHE_BYTES)`);
  line('open server connections', `${openConnections} after the clients left`);
  line('handles left after close', handles.length === 0 ? 'none (same as before start)' : handles.join(', '));
  line('5xx answers', fiveXx);
  process.exitCode = fiveXx > 0 || tally.clientErrors.size > 0 || handles.length > 0 || openConnections > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error('soak crashed:', err);
  process.exitCode = 1;
});

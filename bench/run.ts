/**
 * `npm run bench`: the sandbox side by side with its ceiling (bare express + multer sending
 * the sandbox's own answer) and its peer (Prism mocking our openapi.yaml), in one run on
 * loopback, and the state backends (memory, Redis, 3 Redis replicas behind a proxy; BENCH_ONLY=
 * replicas runs only those). Prints one table; asserts nothing. Expects `npm run build` to have produced dist/.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildInputs, type ServerKind, type ThroughputCase } from './cases';
import { encodeLimitRows } from './encode-limit';
import { runLoad } from './load';
import { rssOf, spawnServer, watchRss, type ChildServer } from './processes';
import { replicaRows } from './replicas';

const ROOT = path.resolve(__dirname, '..', '..');
const EDITS = '/v1/images/edits';
const HEALTH = '/__sandbox/health';
const AUTH = { authorization: 'Bearer sk-bench' };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** `replicas`: only the state-backend rows (memory vs Redis, 3 replicas behind a proxy). */
const ONLY = process.env.BENCH_ONLY;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const START_RUNS = 3;
/** Another build's entry point, to compare before and after a change in one sitting. */
const SANDBOX_MAIN = process.env.BENCH_SANDBOX_MAIN ?? path.join(ROOT, 'dist/server/main.js');
const MB = 1024 * 1024;

interface Row {
  name: string;
  rps?: number;
  p50?: number;
  p99?: number;
  rssPeak?: number;
  vsCeiling?: number;
  vsPrism?: number;
  note?: string;
}

const node = process.execPath;
/** As `npm start` and the image run it: two glibc arenas (README, Performance). */
const sandboxEnv = { HOST: '127.0.0.1', SANDBOX_LOG_LEVEL: 'silent', MALLOC_ARENA_MAX: '2' };

function startServer(kind: ServerKind, responseFile: string): Promise<ChildServer> {
  switch (kind) {
    case 'sandbox':
      return spawnServer({ command: node, args: [SANDBOX_MAIN], env: sandboxEnv, healthPath: HEALTH });
    case 'ceiling':
      return spawnServer({ command: node, args: [path.join(__dirname, 'ceiling-server.js'), '{port}', responseFile], healthPath: HEALTH });
    case 'prism':
      return spawnServer({
        command: path.join(ROOT, 'node_modules/.bin/prism'),
        args: ['mock', path.join(ROOT, 'openapi.yaml'), '-h', '127.0.0.1', '-p', '{port}'],
        healthPath: HEALTH,
        timeoutMs: 60_000,
      });
  }
}

async function post(url: string, contentType: string, body: Buffer): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(url + EDITS, { method: 'POST', headers: { ...AUTH, 'content-type': contentType }, body });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function throughput(c: ThroughputCase, responseFile: string): Promise<Row> {
  const server = await startServer(c.server, responseFile);
  try {
    const first = await post(server.url, c.contentType, c.body(0));
    if (first.status !== 200) throw new Error(`${c.name}: ${first.status} ${first.bytes.toString().slice(0, 300)}`);
    const load = { url: server.url, path: EDITS, headers: { ...AUTH, 'content-type': c.contentType }, connections: c.connections ?? CONNECTIONS };
    // Warm-up (JIT, caches, sockets), with request numbers the measured run does not reuse.
    await runLoad({ ...load, body: (i) => c.body(1_000_000 + i), seconds: 1 });
    const rss = watchRss(server.pid);
    const result = await runLoad({ ...load, body: c.body, seconds: SECONDS });
    const rssPeak = rss.stop();
    const failed = result.non2xx + result.errors;
    const notes = [c.note, failed ? `${failed} failed` : undefined].filter((n) => n !== undefined);
    return { name: c.name, rps: result.rps, p50: result.p50, p99: result.p99, rssPeak, ...(notes.length ? { note: notes.join('; ') } : {}) };
  } finally {
    await server.stop();
  }
}

/**
 * One streamed request, timed from the moment its body has been handed to the socket (on
 * loopback: as good as read by the server) to the first byte of the first event, and to the end.
 */
function streamOnce(url: string, body: Buffer, contentType: string): Promise<{ first: number; total: number; text: string; status: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = http.request(url + EDITS, { method: 'POST', headers: { ...AUTH, 'content-type': contentType, 'content-length': body.length } }, (res) => {
      let first = 0;
      let text = '';
      res.on('data', (chunk: Buffer) => {
        if (!first) first = performance.now() - sent;
        text += chunk.toString('latin1');
      });
      res.on('end', () => resolve({ first, total: performance.now() - sent, text, status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('finish', () => (sent = performance.now()));
    req.end(body);
  });
}

/** Time to the first streamed event and to image_edit.completed, median of a few requests. */
async function streaming(inputs: Awaited<ReturnType<typeof buildInputs>>): Promise<Row> {
  const server = await startServer('sandbox', '');
  const firsts: number[] = [];
  const dones: number[] = [];
  try {
    const rss = watchRss(server.pid);
    for (let i = 0; i < 11; i++) {
      const { body, contentType } = inputs.stream(i);
      const { first, total, text, status } = await streamOnce(server.url, body, contentType);
      if (status !== 200) throw new Error(`streaming: ${status} ${text.slice(0, 300)}`);
      if (!text.includes('image_edit.completed')) throw new Error('streaming: no image_edit.completed event');
      // The first request warms the process up; it is not counted.
      if (i > 0) {
        firsts.push(first);
        dones.push(total);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return {
      name: 'sandbox, streaming partial_images=3 (unique prompt)',
      rssPeak: rss.stop(),
      note: `first event ${median(firsts).toFixed(0)} ms after the request was sent, completed ${median(dones).toFixed(0)} ms (median of 10; 50 ms between events by default)`,
    };
  } finally {
    await server.stop();
  }
}

async function startTimes(): Promise<{ npm: number; direct: number; prism: number }> {
  const median = async (spawn: () => Promise<ChildServer>) => {
    const times: number[] = [];
    for (let i = 0; i < START_RUNS; i++) {
      const server = await spawn();
      times.push(server.readyMs);
      await server.stop();
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  };
  const npm = await median(() => spawnServer({ command: 'npm', args: ['start', '--silent'], env: sandboxEnv, healthPath: HEALTH, cwd: ROOT }));
  const direct = await median(() => startServer('sandbox', ''));
  const prism = await median(() => startServer('prism', ''));
  return { npm, direct, prism };
}

/**
 * Peak RSS with eight ~20 MB uploads in flight at once, and RSS once they are done. "idle" is
 * RSS right after start; "warm" after one small edit (sharp and the tokenizer loaded), the
 * floor the sandbox comes back to; `env` changes what it keeps (journal, caches).
 */
async function memory(inputs: Awaited<ReturnType<typeof buildInputs>>, name: string, env: Readonly<Record<string, string>> = {}): Promise<Row> {
  const server = await spawnServer({ command: node, args: [SANDBOX_MAIN], env: { ...sandboxEnv, ...env }, healthPath: HEALTH });
  try {
    const idle = rssOf(server.pid);
    const dalle = inputs.throughput.find((c) => c.name.includes('dall-e-2'))!;
    await post(server.url, dalle.contentType, dalle.body(0));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const warm = rssOf(server.pid);
    const rss = watchRss(server.pid, 10);
    const results = await Promise.all(inputs.big.map((b) => post(server.url, b.contentType, b.body)));
    const peak = rss.stop();
    const bad = results.filter((r) => r.status !== 200);
    if (bad.length) throw new Error(`memory: ${bad[0]!.status} ${bad[0]!.bytes.toString().slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = rssOf(server.pid);
    const upload = (inputs.big[0]!.body.length / MB).toFixed(1);
    const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;
    return {
      name: `memory, 8 concurrent ${upload} MB uploads${name}`,
      rssPeak: peak,
      note: `idle ${mb(idle)}, warm ${mb(warm)}, after (3 s) ${mb(after)} = ${(after / idle).toFixed(2)}x idle, ${(after / warm).toFixed(2)}x warm`,
    };
  } finally {
    await server.stop();
  }
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined ? '' : n.toFixed(digits));
const ratio = (n: number | undefined) => (n === undefined ? '' : `${n.toFixed(2)}x`);

function printTable(rows: readonly Row[]): void {
  const header = ['case', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'vs ceiling', 'vs Prism', 'notes'];
  const cells = rows.map((r) => [r.name, fmt(r.rps, 1), fmt(r.p50), fmt(r.p99), r.rssPeak ? fmt(r.rssPeak / MB) : '', ratio(r.vsCeiling), ratio(r.vsPrism), r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((v, i) => (i === 0 || i === 7 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 || i === 7 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  const began = performance.now();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.error(`bench: ${os.cpus().length} cores, load average ${load}, node ${process.version}; ${SECONDS} s per case, ${CONNECTIONS} connections`);
  const inputs = await buildInputs();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'edits-bench-'));
  const responseFile = path.join(tmp, 'response.json');
  try {
    // The ceiling answers with the sandbox's own bytes for the reference request.
    const sandbox = await startServer('sandbox', '');
    try {
      const answer = await post(sandbox.url, inputs.same.contentType, inputs.same.body);
      if (answer.status !== 200) throw new Error(`reference request: ${answer.status} ${answer.bytes.toString().slice(0, 300)}`);
      fs.writeFileSync(responseFile, answer.bytes);
    } finally {
      await sandbox.stop();
    }

    const rows: Row[] = [];
    // Memory vs Redis state on a small request, where state costs show most.
    const stateCase = inputs.throughput.find((c) => c.name.includes('dall-e-2'))!;
    const stateRows = () =>
      replicaRows({ main: SANDBOX_MAIN, env: sandboxEnv, seconds: SECONDS, connections: CONNECTIONS, edits: EDITS, healthPath: HEALTH, headers: AUTH }, stateCase);
    if (ONLY === 'replicas') {
      console.error('bench: state backends only (BENCH_ONLY=replicas)');
      printTable(await stateRows());
      console.log(`\n${os.cpus().length} cores, node ${process.version}, ${SECONDS} s x ${CONNECTIONS} connections per case; load average before ${load}, after ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`);
      return;
    }
    for (const c of inputs.throughput) {
      console.error(`bench: ${c.name}`);
      rows.push(await throughput(c, responseFile));
    }
    const ceiling = rows[0]!.rps!;
    const prism = rows[1]!.rps!;
    for (const r of rows) {
      r.vsCeiling = r.rps! / ceiling;
      r.vsPrism = r.rps! / prism;
    }
    console.error('bench: encode-only limits');
    const matching: Record<string, string> = {
      'png, unique prompt': 'unique prompt, same image',
      'jpeg q80': 'jpeg (unique prompt)',
      'webp q80': 'webp (unique prompt)',
      'png 3840x2160': 'gpt-image-2 3840x2160',
      'unique image': 'unique image per request',
    };
    for (const limit of await encodeLimitRows(inputs.scene, inputs.mask)) {
      const perSecond = 1000 / limit.ms;
      const key = Object.keys(matching).find((k) => limit.name.includes(k));
      const reached = rows.find((r) => key && r.name.includes(matching[key]!));
      const share = reached?.rps ? `; the case reached ${((100 * reached.rps) / perSecond).toFixed(0)}% of it` : '';
      rows.push({ name: limit.name, rps: perSecond, vsCeiling: perSecond / ceiling, note: `${limit.ms.toFixed(1)} ms an answer on one core, ${(limit.bytes / 1024).toFixed(0)} KiB${share}` });
    }
    console.error('bench: streaming');
    rows.push(await streaming(inputs));
    console.error('bench: start times');
    const start = await startTimes();
    rows.push({ name: 'start: npm start -> health 200', note: `${start.npm.toFixed(0)} ms`, vsPrism: start.npm / start.prism });
    rows.push({ name: 'start: node dist/server/main.js -> health 200', note: `${start.direct.toFixed(0)} ms`, vsPrism: start.direct / start.prism });
    rows.push({ name: 'start: prism mock openapi.yaml -> health 200', note: `${start.prism.toFixed(0)} ms`, vsPrism: 1 });
    console.error('bench: memory');
    rows.push(await memory(inputs, ''));
    rows.push(await memory(inputs, ', journal and caches off', { SANDBOX_JOURNAL_BYTES: '0', SANDBOX_RENDER_CACHE_BYTES: '0' }));
    console.error('bench: state backends');
    rows.push(...(await stateRows()));

    printTable(rows);
    const after = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    console.log(`\n${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${SECONDS} s x ${CONNECTIONS} connections per case; load average before ${load}, after ${after}; ${((performance.now() - began) / 1000).toFixed(0)} s in all.`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});

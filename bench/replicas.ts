/**
 * The state backends side by side: one sandbox with memory state, one with Redis state, and
 * three Redis-backed replicas behind the tests' round-robin proxy, with the Redis round trips
 * per edit counted from INFO commandstats. On a 2-core machine three replicas share the same
 * two cores with Redis, the proxy and the load generator: the row shows overhead, not scaling.
 * Without a Redis the rows say so loudly (bench is not the test suite; it still runs).
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { redisAvailability, testRedis, type TestRedis } from '../spec/helpers/redis-server';
import { startRoundRobinProxy } from '../spec/helpers/round-robin-proxy';
import type { ThroughputCase } from './cases';
import { runLoad } from './load';
import { spawnServer, watchRss, type ChildServer } from './processes';

export interface ReplicaRow {
  name: string;
  rps?: number;
  p50?: number;
  p99?: number;
  rssPeak?: number;
  note?: string;
}

interface Setup {
  readonly main: string;
  readonly env: Readonly<Record<string, string>>;
  readonly seconds: number;
  readonly connections: number;
  readonly edits: string;
  readonly healthPath: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Redis round trips per edit: MONITOR lists every command a client sends (and, marked "lua",
 * each one a script runs inside Redis, which is not a round trip). Sampled apart from the
 * throughput run, on a few sequential edits, since MONITOR slows Redis down.
 */
async function roundTripsPerEdit(redisUrl: string, sandboxUrl: string, setup: Setup, c: ThroughputCase, edits = 20): Promise<number> {
  const monitor = createClient({ url: redisUrl });
  await monitor.connect();
  let trips = 0;
  await monitor.monitor((line: string) => {
    if (!/\[\d+ lua\]/.test(line)) trips++;
  });
  for (let i = 0; i < edits; i++) {
    const res = await fetch(sandboxUrl + setup.edits, { method: 'POST', headers: { ...setup.headers, 'content-type': c.contentType }, body: c.body(2_000_000 + i) });
    await res.arrayBuffer();
  }
  // The last commit lands when its response closes, just after the client has it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  monitor.destroy();
  return trips / edits;
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  rssPeak: number;
  requests: number;
  failed: number;
}

/** A warm-up second, then the measured run. */
async function measure(setup: Setup, c: ThroughputCase, url: string, pids: number[]): Promise<Measured> {
  const load = { url, path: setup.edits, headers: { ...setup.headers, 'content-type': c.contentType }, connections: setup.connections };
  await runLoad({ ...load, body: (i) => c.body(1_000_000 + i), seconds: 1 });
  const watchers = pids.map((pid) => watchRss(pid));
  const result = await runLoad({ ...load, body: c.body, seconds: setup.seconds });
  const rssPeak = watchers.reduce((sum, w) => sum + w.stop(), 0);
  return { rps: result.rps, p50: result.p50, p99: result.p99, rssPeak, requests: result.requests, failed: result.non2xx + result.errors };
}

export async function replicaRows(setup: Setup, c: ThroughputCase): Promise<ReplicaRow[]> {
  const sandbox = (env: Record<string, string> = {}) =>
    spawnServer({ command: process.execPath, args: [setup.main], env: { ...setup.env, ...env }, healthPath: setup.healthPath });
  const rows: ReplicaRow[] = [];
  const memory = await sandbox();
  try {
    const m = await measure(setup, c, memory.url, [memory.pid]);
    rows.push({ name: `state: memory, 1 process (${c.name})`, ...m, ...(m.failed ? { note: `${m.failed} failed` } : {}) });
  } finally {
    await memory.stop();
  }

  const available = redisAvailability();
  if (!available.available) {
    const note = `SKIPPED: no redis-server (${available.why}); install redis-server or set SANDBOX_TEST_REDIS_URL`;
    console.error(`bench: !!! ${note} !!!`);
    rows.push({ name: 'state: redis, 1 process', note }, { name: 'state: redis, 3 replicas behind a round-robin proxy', note });
    return rows;
  }
  const redis: TestRedis = await testRedis();
  const redisEnv = { SANDBOX_STATE_URL: redis.url, SANDBOX_STATE_PREFIX: `bench-${randomBytes(4).toString('hex')}`, SANDBOX_URL_SECRET: randomBytes(24).toString('hex') };
  try {
    const one = await sandbox(redisEnv);
    try {
      const m = await measure(setup, c, one.url, [one.pid]);
      const trips = await roundTripsPerEdit(redis.url, one.url, setup, c);
      rows.push({ name: 'state: redis, 1 process', ...m, note: `${trips.toFixed(1)} Redis round trips per edit (MONITOR)${m.failed ? `; ${m.failed} failed` : ''}` });
    } finally {
      await one.stop();
    }

    const replicas: ChildServer[] = [];
    try {
      for (let i = 0; i < 3; i++) replicas.push(await sandbox(redisEnv));
      const proxy = await startRoundRobinProxy(replicas.map((r) => r.url));
      try {
        const m = await measure(setup, c, proxy.url, replicas.map((r) => r.pid));
        const trips = await roundTripsPerEdit(redis.url, proxy.url, setup, c);
        rows.push({
          name: 'state: redis, 3 replicas behind a round-robin proxy',
          ...m,
          note: `${trips.toFixed(1)} Redis round trips per edit (MONITOR); RSS is the 3 replicas' sum; 2 cores shared by 3 replicas, Redis, the proxy and the load: overhead, not scaling${m.failed ? `; ${m.failed} failed` : ''}`,
        });
      } finally {
        await proxy.close();
      }
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  } finally {
    await redis.dispose();
  }
  return rows;
}

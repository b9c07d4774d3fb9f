/**
 * A real Redis for the tests and the bench: SANDBOX_TEST_REDIS_URL when set (an existing
 * server, never stopped or restarted here), else Debian's `redis-server` started on a free
 * loopback port in a temporary folder and stopped after. No npm package ships a Redis binary
 * that installs here, so a machine without either cannot run the Redis suite; `.ci/run`
 * installs redis-server and makes the suite mandatory (SANDBOX_TEST_REDIS=required).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { REDIS_REQUIRED_ENV, REDIS_URL_ENV, redisAvailability, redisServerPath } from './redis-availability';
export { freePort };
export { REDIS_REQUIRED_ENV, REDIS_URL_ENV, redisAvailability, redisServerPath };

export interface TestRedis {
  readonly url: string;
  /** Whether this process started it (and so may stop, pause and restart it). */
  readonly owned: boolean;
  /** Stops the server (its data survives in its folder, append-only file on). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that hangs without closing its sockets. */
  pause(): void;
  resume(): void;
  /** Stops it for good and removes its folder. */
  dispose(): Promise<void>;
}



function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${timeoutMs} ms: ${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}): ${seen}`));
    });
  });
}

/** A redis-server of our own: loopback only, no RDB snapshots, append-only file (flushed on a clean stop) so a restart keeps data. */
export async function startRedisServer(): Promise<TestRedis> {
  const binary = redisServerPath();
  if (!binary) throw new Error(`redis-server is not installed (and ${REDIS_URL_ENV} is unset): install Debian's redis-server or point ${REDIS_URL_ENV} at a server`);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--daemonize', 'no', '--loglevel', 'notice'];
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForLine(child, /Ready to accept connections/, 10_000);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    running.kill('SIGCONT');
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    owned: true,
    stop,
    start,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    dispose: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Redis the tests use: SANDBOX_TEST_REDIS_URL's, else one started here. */
export async function testRedis(): Promise<TestRedis> {
  const url = process.env[REDIS_URL_ENV];
  if (!url) return startRedisServer();
  const cannot = (what: string) => () => {
    throw new Error(`cannot ${what} the Redis at ${REDIS_URL_ENV}: the tests only do that to a redis-server they started`);
  };
  return { url, owned: false, stop: async () => cannot('stop')(), start: async () => cannot('start')(), pause: cannot('pause'), resume: cannot('resume'), dispose: async () => undefined };
}

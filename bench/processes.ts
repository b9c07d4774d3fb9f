/**
 * Child servers for the bench: each case runs in a process of its own (so its RSS is its
 * own and the load generator does not share its event loop), found on a free loopback
 * port, polled until healthy, and killed by its own process group when the case ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from '../spec/helpers/free-port';
export { freePort };

export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  /** Milliseconds from spawn to the first 200 of the health path. */
  readonly readyMs: number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly healthPath: string;
  readonly port?: number;
  readonly timeoutMs?: number;
  readonly cwd?: string;
}


const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function isHealthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      // detached: the child leads its own group, so npm's node child goes with it.
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

export async function spawnServer(options: SpawnOptions): Promise<ChildServer> {
  const port = options.port ?? (await freePort());
  const started = performance.now();
  const child = spawn(options.command, [...options.args.map((a) => a.replace('{port}', String(port)))], {
    env: { ...process.env, ...options.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (options.timeoutMs ?? 30_000);
  while (!(await isHealthy(url + options.healthPath))) {
    if (child.exitCode !== null) throw new Error(`${options.command} exited with ${child.exitCode}: ${stderr}`);
    if (performance.now() > deadline) {
      await stopGroup(child);
      throw new Error(`${options.command} was not healthy within ${options.timeoutMs ?? 30_000} ms: ${stderr}`);
    }
    await sleep(10);
  }
  const readyMs = performance.now() - started;
  return { url, pid: child.pid!, readyMs, stop: () => stopGroup(child) };
}

/** Resident set size of a process (kB -> bytes), or 0 once it is gone. */
export function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every few milliseconds; `stop()` returns the peak seen. */
export function watchRss(pid: number, everyMs = 20): { peak(): number; stop(): number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
  }, everyMs);
  return {
    peak: () => peak,
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, rssOf(pid));
      return peak;
    },
  };
}

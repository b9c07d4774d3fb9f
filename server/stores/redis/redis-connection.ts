/**
 * One node-redis client per sandbox, and the one way commands reach it. Commands fail fast
 * instead of queueing while Redis is away (no offline queue) and are bounded in time
 * (SANDBOX_STATE_TIMEOUT_MS), so a request never hangs on state; either failure becomes the
 * documented 503 `state_unavailable`. The client reconnects on its own, forever, and the next
 * command after it is back simply works.
 */
import { createClient, ErrorReply, RESP_TYPES } from 'redis';
import { errors } from '../../errors/catalogue';
import { SandboxError } from '../../errors/sandbox-error';
import type { LuaScript } from './redis-scripts';

export type RedisArg = string | Buffer;

/** News of the backend's connection: `error` when it goes away, `info` when it is back. */
export type StateReport = (line: string, level: 'error' | 'info') => void;

export interface RedisConnectionOptions {
  readonly url: string;
  readonly timeoutMs: number;
  /** Where "Redis went away / is back" lines go (once per change, not per failed command). */
  readonly report?: StateReport;
}

/** Error replies that mean "Redis cannot serve now", not "this command is wrong". */
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|OOM|READONLY|MASTERDOWN|NOREPLICAS|TRYAGAIN|CLUSTERDOWN)\b/;

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/offline|closed/i.test(message)) return 'not connected to Redis; reconnecting';
  if (/timeout/i.test(message)) return 'Redis did not answer in time';
  return message.replace(/\s+/g, ' ').slice(0, 200);
}

/** A connection failure or a timeout; error replies that mean a bug in a script are not. */
function isUnavailable(err: unknown): boolean {
  return !(err instanceof ErrorReply) || UNAVAILABLE_REPLY.test(err.message);
}

/** Where the url points, without its password. */
function shownUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

export class RedisConnection {
  private readonly client;
  private readonly timeoutMs: number;
  private readonly where: string;
  private down = false;
  private closed = false;

  constructor(options: RedisConnectionOptions) {
    const report = options.report ?? (() => undefined);
    this.timeoutMs = options.timeoutMs;
    this.where = shownUrl(options.url);
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      // Also bounds the wait for a command to be written (send() bounds the whole round trip).
      commandOptions: { timeout: options.timeoutMs },
      // Back off to one attempt a second, and never give up: service resumes when Redis does.
      socket: { connectTimeout: options.timeoutMs, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
    });
    this.client.on('error', (err: unknown) => {
      if (this.down || this.closed) return;
      this.down = true;
      report(`state backend unavailable (${this.where}): ${reasonOf(err)}; requests answer 503 state_unavailable until it is back`, 'error');
    });
    this.client.on('ready', () => {
      if (this.down) report(`state backend back (${this.where})`, 'info');
      this.down = false;
    });
    // A failed first attempt is retried like any other; the error listener reports it.
    this.client.connect().catch(() => undefined);
  }

  /** One command; bulk strings come back as Buffers when `buffers` is set. */
  async send<T>(args: readonly RedisArg[], buffers = false): Promise<T> {
    if (this.closed) throw errors.stateUnavailable('the sandbox is shutting down');
    const reply = this.client.sendCommand(args as RedisArg[], buffers ? { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } : undefined);
    // node-redis bounds a command only until it is written; a Redis that hangs after that
    // would hold the request forever, so the whole round trip is bounded here. A late reply
    // still lands on its own command (the client's queue stays in order) and is dropped.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(errors.stateUnavailable(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return (await Promise.race([reply, late])) as T;
    } catch (err) {
      if (err instanceof SandboxError || !isUnavailable(err)) throw err;
      throw errors.stateUnavailable(reasonOf(err));
    } finally {
      clearTimeout(timer);
      reply.catch(() => undefined);
    }
  }

  /** Runs a script by its digest; a Redis that restarted (and forgot it) is taught it again. */
  async run<T>(script: LuaScript, args: readonly RedisArg[], buffers = false): Promise<T> {
    try {
      return await this.send<T>(['EVALSHA', script.sha, '0', ...args], buffers);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.send<T>(['EVAL', script.source, '0', ...args], buffers);
    }
  }

  /** Resolves once connected and answering (waiting up to the timeout for a connection). */
  async ready(): Promise<void> {
    if (!this.client.isReady && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.timeoutMs);
        this.client.once('ready', done);
        const client = this.client;
        function done() {
          clearTimeout(timer);
          client.off('ready', done);
          resolve();
        }
      });
    }
    if (!this.client.isReady) throw errors.stateUnavailable(`cannot reach Redis at ${this.where}`);
    await this.send(['PING']);
  }

  async close(): Promise<void> {
    this.closed = true;
    // Commands still waiting get their answers when connected; otherwise there is nothing to wait for.
    if (this.client.isReady) await this.client.close().catch(() => this.client.destroy());
    else if (this.client.isOpen) this.client.destroy();
  }
}

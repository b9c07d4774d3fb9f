/**
 * A long-lived client program spoken to in JSON lines: each request is one line on its stdin
 * with an `id`, each answer one line on its stdout with the same `id`. For clients that are
 * slow to start (importing the Python SDK takes about a second), so one process serves a
 * whole suite. Answers are matched by id, so a call abandoned by a timed-out test can never
 * be taken for the next one's answer.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';

interface Pending {
  resolve(answer: Record<string, unknown>): void;
  reject(error: Error): void;
}

export class JsonLinesProcess {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderr = '';
  private readonly exit: Promise<void>;
  private gone: Error | null = null;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    label: string,
  ) {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-8000);
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    this.exit = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.gone = new Error(`${label} exited (${signal ?? `code ${code}`}): ${this.stderr.trim()}`);
        for (const waiting of this.pending.values()) waiting.reject(this.gone);
        this.pending.clear();
        resolve();
      });
    });
    child.on('error', (err) => {
      this.gone = new Error(`${label} could not run: ${err.message}`);
    });
  }

  static start(program: string, args: readonly string[], env: NodeJS.ProcessEnv): JsonLinesProcess {
    return new JsonLinesProcess(spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'] }), `${program} ${args.join(' ')}`);
  }

  /** Sends one request and resolves with its answer (without the id). */
  request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ ...message, id })}\n`);
    });
  }

  /** Ends its input and waits for it to exit. */
  async close(): Promise<void> {
    this.child.stdin.end();
    await this.exit;
  }

  private onLine(line: string): void {
    let answer: Record<string, unknown>;
    try {
      answer = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.stderr += `\n(not JSON on stdout: ${line.slice(0, 200)})`;
      return;
    }
    const { id, ...rest } = answer;
    const waiting = this.pending.get(id as number);
    this.pending.delete(id as number);
    waiting?.resolve(rest);
  }
}

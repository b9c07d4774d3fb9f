/** A real `node server/main.js` child process, its output collected, for lifecycle and CLI tests. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export interface SandboxProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

export function runSandbox(buildDir: string, args: readonly string[], env: Record<string, string> = {}): SandboxProcess {
  const child = spawn(process.execPath, [path.join(buildDir, 'server', 'main.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the "listening on http://…" line and returns the url. */
export async function listeningUrl(sandbox: SandboxProcess, timeoutMs = 15_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const match = /listening on (http:\/\/[^\s]+)/.exec(sandbox.stdout());
    if (match?.[1]) return match[1];
    if (sandbox.child.exitCode !== null) throw new Error(`sandbox exited: ${sandbox.stderr()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`no listening line after ${timeoutMs} ms: ${sandbox.stdout()} ${sandbox.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

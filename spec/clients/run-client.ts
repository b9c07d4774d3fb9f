/**
 * Runs a real client program (curl, python3) as a child process. A missing program fails the
 * test with the command that installs it: these tests prove the contract with clients other
 * than Node's, so passing without them would prove nothing.
 */
import { execFile, spawnSync } from 'node:child_process';

/** The first candidate that runs `probe` successfully, or an error saying how to install it. */
export function requireProgram(candidates: readonly string[], probe: readonly string[], install: string): string {
  for (const candidate of candidates) {
    const result = spawnSync(candidate, probe, { encoding: 'utf8', timeout: 20_000 });
    if (result.status === 0) return candidate;
  }
  throw new Error(
    `Failed to find ${candidates.join(' or ')} able to run \`${probe.join(' ')}\`. ` +
      `Please install it (${install}); .ci/run does so on a fresh machine.`,
  );
}

export interface ProgramResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * Runs a program without a shell (arguments are passed as they are) and collects its output
 * as bytes. Asynchronous on purpose: the sandbox it talks to may run in this very process.
 */
export function runProgram(
  program: string,
  args: readonly string[],
  input?: string,
  where: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ProgramResult> {
  return new Promise((resolve) => {
    const options = { encoding: 'buffer' as const, timeout: 60_000, maxBuffer: 64 * 1024 * 1024, ...where };
    const child = execFile(program, args, options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr.toString('utf8') });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/**
 * Reads the Dockerfile's instructions, so tests can run exactly the commands the image runs
 * (docker itself cannot build on the test machine).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
  /** Index of the build stage (each FROM starts one). */
  readonly stage: number;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The Dockerfile as instructions: comments dropped, `\` continuations joined. */
export function readDockerfile(file = path.join(REPO_ROOT, 'Dockerfile')): DockerInstruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) pending += line.slice(0, -1) + ' ';
    else {
      logical.push(pending + line);
      pending = '';
    }
  }
  let stage = -1;
  return logical.map((line) => {
    const match = /^(\S+)\s*(.*)$/.exec(line)!;
    const keyword = match[1]!.toUpperCase();
    if (keyword === 'FROM') stage++;
    return { keyword, args: match[2]!, stage };
  });
}

/** Exec-form (JSON array) command of a CMD or HEALTHCHECK ... CMD; shell form is refused. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  const argv = JSON.parse(json) as unknown;
  if (!Array.isArray(argv) || argv.some((a) => typeof a !== 'string')) throw new Error(`not an exec-form command: ${args}`);
  return argv as string[];
}

/** `ENV A=1 B=2` instructions of a stage -> { A: '1', B: '2' }. */
export function stageEnv(instructions: readonly DockerInstruction[], stage: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructions.filter((i) => i.stage === stage && i.keyword === 'ENV'))
    for (const pair of args.match(/\S+=("[^"]*"|\S+)/g) ?? []) {
      const eq = pair.indexOf('=');
      env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"|"$/g, '');
    }
  return env;
}

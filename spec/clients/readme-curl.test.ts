/**
 * Every curl command in the README's shell examples, run as a reader pastes it (by bash, from
 * the repository root, where the example files are), against a sandbox: curl must succeed and
 * the answer must be JSON or an event stream. A command curl itself refuses (a URL it reads as
 * a pattern, a missing file) fails here before a reader meets it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SandboxHandle } from '../../server/start-sandbox';
import { REPO_ROOT } from '../distribution/read-dockerfile';
import { testSandbox } from '../helpers/test-sandbox';
import { requireProgram, runProgram } from './run-client';

const README_ORIGIN = 'http://127.0.0.1:4010';

/**
 * The curl commands of the README's ```sh blocks in reading order, each whole: a line ending
 * in a backslash, or inside an open single quote (a JSON body over two lines), goes on.
 */
function readmeCurlCommands(): string[] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const commands: string[] = [];
  for (const [, block] of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let current = '';
    for (const line of block!.split('\n')) {
      current = current ? `${current}\n${line}` : line;
      const open = (current.match(/'/g) ?? []).length % 2 === 1;
      if (open || current.endsWith('\\')) continue;
      if (current.startsWith('curl ')) commands.push(current);
      current = '';
    }
  }
  return commands;
}

describe("the README's curl examples", () => {
  const commands = readmeCurlCommands();
  let sandbox: SandboxHandle;
  let bash: string;

  beforeAll(async () => {
    requireProgram(['curl'], ['--version'], 'apt-get install -y curl');
    bash = requireProgram(['bash'], ['-c', 'true'], 'apt-get install -y bash');
    // The default seed profile's own answers, as `npm start` gives them; streams without the default 50 ms spacing.
    sandbox = await testSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('are found (the examples for edits, streams, namespaces, scenarios and the journal)', () => {
    expect(commands.length).toBeGreaterThanOrEqual(15);
    expect(commands.every((command) => command.includes(README_ORIGIN))).toBe(true);
  });

  it('each runs and answers JSON or an event stream', async () => {
    const failures: string[] = [];
    for (const command of commands) {
      const result = await runProgram(bash, ['-c', command.split(README_ORIGIN).join(sandbox.url)], undefined, { cwd: REPO_ROOT });
      const out = result.stdout.toString('utf8');
      const answer = out.startsWith('event: ') ? (out.includes('event: image_edit.completed') ? 'stream' : 'a stream that did not complete') : parsesAsJson(out) ? 'json' : `neither JSON nor a stream: ${out.slice(0, 120)}`;
      if (result.code !== 0 || (answer !== 'json' && answer !== 'stream')) failures.push(`${command}\n  -> curl exit ${result.code} ${result.stderr.trim()}; ${answer}`);
      if (/\n\s+at /.test(out)) failures.push(`${command}\n  -> a stack trace in the answer`);
    }
    expect(failures).toEqual([]);
  });
});

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

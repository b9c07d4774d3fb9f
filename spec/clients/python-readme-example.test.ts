/**
 * The README's Python example, read from README.md and run as written with the official SDK:
 * the environment its first line sets (the sandbox's own port in place of 4010), from a
 * directory that has the repository's fixtures/, where it leaves edited.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SandboxHandle } from '../../server/start-sandbox';
import { REPO_ROOT } from '../distribution/read-dockerfile';
import { decodePng } from '../helpers/fixtures';
import { PYTHON_SDK_SETUP_TIMEOUT_MS, pythonClientEnv, pythonWithOpenAiSdk } from '../helpers/python-sdk';
import { testSandbox } from '../helpers/test-sandbox';
import { runProgram } from './run-client';

/** The first ```python block of the README's "## Python" section. */
function readmePythonExample(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = /^## Python\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  const example = section && /^```python\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!example) throw new Error('README.md has no ```python block in its "## Python" section');
  return example;
}

/** `# NAME=value NAME=value python3 edit.py`: the command line the example's first line gives. */
function commandLine(example: string): { env: Record<string, string>; script: string } {
  const match = /^# ((?:[A-Z_]+=\S+ )+)python3 (\S+\.py)\n/.exec(example);
  if (!match) throw new Error(`the README's Python example does not start with '# NAME=value … python3 edit.py': ${example.split('\n')[0]}`);
  const env = Object.fromEntries(match[1]!.trim().split(' ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  return { env, script: match[2]! };
}

describe("the README's Python example", () => {
  let python: string;
  let sandbox: SandboxHandle;
  let workDir: string;

  beforeAll(async () => {
    python = await pythonWithOpenAiSdk();
    sandbox = await testSandbox();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-python-'));
    fs.symlinkSync(path.join(REPO_ROOT, 'fixtures'), path.join(workDir, 'fixtures'));
  }, PYTHON_SDK_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await sandbox?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('runs as written against the sandbox, writes edited.png and prints the usage', async () => {
    const example = readmePythonExample();
    const { env, script } = commandLine(example);
    expect(env).toEqual({ OPENAI_BASE_URL: 'http://127.0.0.1:4010/v1', OPENAI_API_KEY: 'sk-sandbox' });
    fs.writeFileSync(path.join(workDir, script), example);

    const result = await runProgram(python, [script], undefined, { cwd: workDir, env: pythonClientEnv({ ...env, OPENAI_BASE_URL: `${sandbox.url}/v1` }) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const [entry, ...others] = (await sandbox.namespace().journal());
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ status: 200, fields: { model: 'gpt-image-1', prompt: 'add a red rose', quality: 'low' }, headers: { 'x-stainless-lang': 'python' } });
    expect(entry!.files.map((f) => [f.field, f.filename, f.content_type])).toEqual([['image[]', 'scene-512.png', 'image/png']]);
    expect(entry!.mask).toMatchObject({ field: 'mask', filename: 'mask-512.png', content_type: 'image/png' });

    const { input_tokens, input_tokens_details: details, output_tokens, total_tokens } = entry!.usage!;
    expect(result.stdout.toString('utf8')).toMatch(
      new RegExp(`^\\w+\\(input_tokens=${input_tokens}, input_tokens_details=\\w+\\(image_tokens=${details.image_tokens}, text_tokens=${details.text_tokens}\\), output_tokens=${output_tokens}, total_tokens=${total_tokens}\\b`),
    );

    const edited = fs.readFileSync(path.join(workDir, 'edited.png'));
    const served = Buffer.from(await (await fetch(`${sandbox.url}${entry!.outputs[0]!.url}`)).arrayBuffer());
    expect(edited.equals(served)).toBe(true);
    const png = decodePng(edited);
    expect([png.width, png.height]).toEqual([1024, 1024]);
  }, 60_000);
});

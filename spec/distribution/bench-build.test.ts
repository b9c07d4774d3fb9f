/**
 * `npm run bench` compiles bench/ (with the spec helpers it shares) and runs the result: every
 * module of that build must find what it requires, plain-JS helpers included, or the bench
 * dies at its first line. Running the bench is minutes of load; building it and resolving
 * every relative require is what breaks when a shared helper moves.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './read-dockerfile';

/** Every .js file under a directory. */
function jsFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((name) => name.endsWith('.js')).map((name) => path.join(dir, name));
}

describe('the bench build', () => {
  let outDir: string;

  beforeAll(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-build-'));
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'bench/tsconfig.json', '--outDir', outDir], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  });
  afterAll(() => {
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('emits the bench entry points', () => {
    for (const entry of ['run', 'work', 'soak', 'ceiling-server']) expect(fs.existsSync(path.join(outDir, 'bench', `${entry}.js`))).toBe(true);
  });

  it('resolves every relative require of every emitted module', () => {
    const unresolved: string[] = [];
    for (const file of jsFiles(outDir)) {
      for (const [, target] of fs.readFileSync(file, 'utf8').matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
        try {
          require.resolve(path.resolve(path.dirname(file), target!));
        } catch {
          unresolved.push(`${path.relative(outDir, file)} -> ${target}`);
        }
      }
    }
    expect(unresolved).toEqual([]);
  });
});

/**
 * The built package from the outside: plain ESM can import startSandbox from the compiled
 * CommonJS entry, and TypeScript users get the handle's types from the emitted .d.ts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { builtServer, REPO } from '../process/build-dist';
import { SCENARIO_NAMES } from '../../server/scenarios/scenario-outcomes';

jest.setTimeout(120_000);
const run = promisify(execFile);

let buildDir: string;
beforeAll(async () => {
  buildDir = await builtServer();
});

describe('the built entry', () => {
  it('is importable from plain ESM and starts a working sandbox on a free port', async () => {
    const entry = pathToFileURL(path.join(buildDir, 'server', 'index.js')).href;
    const script = `
      import { startSandbox, SCENARIO_NAMES } from '${entry}';
      const sandbox = await startSandbox({ port: 0, seed: 'esm' });
      const health = await fetch(sandbox.url + '/__sandbox/health');
      const w1 = sandbox.namespace('w1');
      await w1.arm('rate_limit');
      console.log(JSON.stringify({ status: health.status, port: sandbox.port, armed: (await w1.armed()).length, journal: await w1.count(), names: SCENARIO_NAMES.length }));
      await sandbox.close();
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO });
    const result = JSON.parse(stdout.trim()) as { status: number; port: number; armed: number; journal: number; names: number };
    expect(result).toEqual({ status: 200, port: expect.any(Number), armed: 1, journal: 0, names: SCENARIO_NAMES.length });
    expect(result.port).toBeGreaterThan(0);
  });

  it('ships .d.ts types that a strict TypeScript consumer compiles against', async () => {
    const consumer = path.join(buildDir, 'consumer-check.ts');
    fs.writeFileSync(
      consumer,
      `import { startSandbox, type SandboxHandle, type JournalEntry, type SandboxOptions } from './server/index';
       const options: SandboxOptions = { port: 0, seed: '7', latencyMs: 10 };
       async function use(): Promise<number> {
         const sandbox: SandboxHandle = await startSandbox(options);
         const entries: JournalEntry[] = await sandbox.namespace('w1').journal({ model: 'gpt-image-1', status: '4xx', limit: 5 });
         const url: string = sandbox.url;
         await sandbox.reset();
         await sandbox.close();
         return entries.length + url.length + sandbox.port;
       }
       // @ts-expect-error: unknown options are a type error
       void startSandbox({ colour: 'red' });
       void use;
      `,
    );
    const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(REPO, 'node_modules', '@types'), '--module', 'commonjs', '--target', 'es2022', consumer]).then(
      () => 'compiled',
      (err: { stdout?: string }) => err.stdout ?? 'failed',
    );
    expect(result).toBe('compiled');
  });
});

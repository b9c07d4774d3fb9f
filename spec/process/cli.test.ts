/** `node server/main.js` (the `image-edits-sandbox` bin): --help, --version, and bad config exiting 2. */
import { SANDBOX_VERSION } from '../../server/version';
import { builtServer } from './build-dist';
import { listeningUrl, runSandbox } from './sandbox-process';

jest.setTimeout(120_000);

let buildDir: string;
beforeAll(async () => {
  buildDir = await builtServer();
});

describe('the command line', () => {
  it('--help lists every option with its env var and exits 0', async () => {
    const run = runSandbox(buildDir, ['--help']);
    expect(await run.exited).toBe(0);
    for (const text of ['--port', 'PORT', '--seed', 'SANDBOX_SEED', '--admin-token', 'SANDBOX_ADMIN_TOKEN', '--journal-size', '--latency-ms']) expect(run.stdout()).toContain(text);
  });

  it('--help names the drift subcommand, and drift --help explains it, exiting 0', async () => {
    const run = runSandbox(buildDir, ['--help']);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/^Commands:\n\s+drift \[options\] <dir>/m);
    const drift = runSandbox(buildDir, ['drift', '--help']);
    expect(await drift.exited).toBe(0);
    expect(drift.stdout()).toContain('Usage: image-edits-sandbox drift [options] <dir>');
    expect(drift.stdout()).toContain('--json');
  });

  it('--version prints the package version and exits 0', async () => {
    const run = runSandbox(buildDir, ['--version']);
    expect(await run.exited).toBe(0);
    expect(run.stdout().trim()).toBe(SANDBOX_VERSION);
  });

  it.each([
    { args: [], env: { PORT: 'eighty' }, names: 'PORT' },
    { args: [], env: { SANDBOX_LATENCY_MS: '-3' }, names: 'SANDBOX_LATENCY_MS' },
    { args: [], env: { SANDBOX_LOG_LEVEL: 'loud' }, names: 'SANDBOX_LOG_LEVEL' },
    { args: [], env: { SANDBOX_DEFAULT_MODEL: 'dall-e-9' }, names: 'SANDBOX_DEFAULT_MODEL' },
    { args: ['--seed', ''], env: {}, names: '--seed' },
    { args: ['--journal-size', 'many'], env: {}, names: '--journal-size' },
    { args: ['--colour', 'red'], env: {}, names: '--colour' },
    { args: ['drift'], env: {}, names: "missing required argument 'dir'" },
    { args: ['--record', 'cassette'], env: {}, names: '--record needs SANDBOX_UPSTREAM' },
    { args: ['--replay', '/nonexistent/cassette'], env: {}, names: 'SANDBOX_REPLAY_DIR (--replay): /nonexistent/cassette is not a cassette directory' },
  ])('exits 2 naming $names for $args $env', async ({ args, env, names }) => {
    const run = runSandbox(buildDir, args, env);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain(names);
    expect(run.stderr()).toMatch(/^image-edits-sandbox: /);
  });

  it('starts with flags and env together, as `npx image-edits-sandbox --port 0 --seed 7` does', async () => {
    const run = runSandbox(buildDir, ['--port', '0', '--seed', '7'], { SANDBOX_NOW: '1767225600' });
    try {
      const url = await listeningUrl(run);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/__sandbox/health`);
      expect(health.status).toBe(200);
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  });
});

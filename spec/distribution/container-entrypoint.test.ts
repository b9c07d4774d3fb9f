/**
 * The image cannot be built here, so this runs what the image runs: the Dockerfile's CMD
 * with its ENV (port swapped for a free one), then its HEALTHCHECK command, and checks the
 * Dockerfile's shape (small Node 20 base, non-root, port 4010, every copied file present).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { execForm, readDockerfile, REPO_ROOT, stageEnv } from './read-dockerfile';
import { freePort } from '../helpers/free-port';

const instructions = readDockerfile();
const finalStage = Math.max(...instructions.map((i) => i.stage));
const final = instructions.filter((i) => i.stage === finalStage);
const one = (keyword: string) => {
  const found = final.filter((i) => i.keyword === keyword);
  if (found.length !== 1) throw new Error(`expected one ${keyword} in the Dockerfile's final stage, found ${found.length}`);
  return found[0]!.args;
};
const env = stageEnv(instructions, finalStage);
const cmd = execForm(one('CMD'));
const healthcheck = one('HEALTHCHECK');
const healthCmd = execForm(healthcheck.slice(healthcheck.indexOf('CMD') + 3));

/** `node` in the image is this test's node (also after `env NAME=value …`). */
const resolveNode = (argv: string[]) => {
  const at = argv.findIndex((arg, i) => arg === 'node' && argv.slice(0, i).every((before, j) => (j === 0 ? before === 'env' : before.includes('='))));
  return at < 0 ? argv : [...argv.slice(0, at), process.execPath, ...argv.slice(at + 1)];
};


/** The environment the container gives the command: the image's ENV, nothing of ours. */
function containerEnv(port: number): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return { ...base, ...env, PORT: String(port) };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the CMD exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no healthy answer from ${url} within 20 s:\n${output()}`);
}

function runHealthcheck(port: number): { status: number | null; stderr: string } {
  const [bin, ...args] = resolveNode(healthCmd);
  const result = spawnSync(bin!, args, { env: containerEnv(port), timeout: 10_000, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

describe('the Dockerfile', () => {
  it('builds on a small Node 20 image and runs as a non-root user', () => {
    const bases = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args.split(/\s+/)[0]);
    for (const base of bases) expect(base).toMatch(/^node:20(\.\d+)*-(bookworm-slim|alpine[\d.]*)$/);
    expect(one('USER')).not.toMatch(/^(root|0)(:|$)/);
  });

  it('listens on 0.0.0.0:4010 inside the container', () => {
    expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '4010' });
    expect(one('EXPOSE')).toBe('4010');
  });

  it('runs the same entry as `npm start` and the package bin', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(cmd.join(' ')).toBe(pkg.scripts.start);
    expect(cmd[cmd.length - 1]).toBe(pkg.bin['image-edits-sandbox']);
  });

  it('checks health on /__sandbox/health with node, the only HTTP client the image has', () => {
    expect(healthCmd[0]).toBe('node');
    expect(healthCmd.join(' ')).toContain('/__sandbox/health');
    expect(healthcheck).toMatch(/--interval=\d+s/);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const ignored = fs
      .readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const sources = instructions
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(fs.existsSync(path.join(REPO_ROOT, source))).toBe(true);
      expect(ignored.filter((pattern) => source === pattern || source.startsWith(pattern + '/'))).toEqual([]);
    }
  });

  it("copies into its build stage every file `npm ci`'s build script reads", () => {
    // `npm ci` runs `prepare`, which runs `build`: a file it names that the stage lacks fails the image build.
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const read = pkg.scripts.build!.split(/\s+/).filter((word) => /\.(js|json)$/.test(word) && !word.startsWith('dist/'));
    const copied = instructions
      .filter((i) => i.stage === 0 && i.keyword === 'COPY')
      .flatMap((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
    expect(read.length).toBeGreaterThan(1);
    expect(read.filter((file) => !copied.some((source) => file === source || file.startsWith(source + '/')))).toEqual([]);
  });
});

describe("the image's CMD, run as the container runs it", () => {
  let child: ChildProcess;
  let port: number;
  let output = '';

  beforeAll(async () => {
    const entry = cmd[cmd.length - 1]!;
    const main = path.join(REPO_ROOT, entry);
    if (!fs.existsSync(main)) throw new Error(`${entry} is missing: run \`npm ci\` (its prepare script builds dist/) or \`npm run build\` first.`);
    port = await freePort();
    const [bin, ...args] = resolveNode(cmd);
    child = spawn(bin!, args, { cwd: REPO_ROOT, env: containerEnv(port), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await waitForHealth(`http://127.0.0.1:${port}/__sandbox/health`, child, () => output);
  });

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers health on every interface, not only on 127.0.0.1', async () => {
    // Linux routes all of 127/8 to loopback, but a socket bound to 127.0.0.1 refuses 127.0.0.2.
    const res = await fetch(`http://127.0.0.2:${port}/__sandbox/health`);
    const body: unknown = await res.json();
    expectToMatchSpec({ status: res.status, body, headers: Object.fromEntries(res.headers) }, '/__sandbox/health', 'get');
    expect(res.status).toBe(200);
  });

  it('passes the HEALTHCHECK command while it serves', () => {
    const result = runHealthcheck(port);
    expect(result).toEqual({ status: 0, stderr: '' });
  });

  it('stops with exit code 0 on SIGTERM (docker stop), then fails the HEALTHCHECK', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(runHealthcheck(port).status).toBe(1);
  });
});

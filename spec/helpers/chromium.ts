/**
 * Headless Chromium for the browser tests, found without apt or root: `CHROMIUM_PATH` when set,
 * else a system Chromium or Chrome, else the build that ships inside the `@sparticuz/chromium`
 * dev dependency (unpacked once into node_modules/.cache). Nothing found is a test failure
 * with one line saying what to do, never a skip.
 *
 * @note @sparticuz/chromium is pinned at 147.0.0, the last release whose `engines` admits
 * Node 20 (>=20.11; on 20.9 and 20.10, which package.json still admits, npm only warns);
 * 148 and later declare ^22.17 || >=24. It ships Linux x64 only.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { cachedDirectory } from './cached-directory';

const run = promisify(execFile);

/** Where the Chromium came from, for messages and for tests of this module. */
export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';

export interface FoundChromium {
  readonly executablePath: string;
  readonly source: ChromiumSource;
}

/** Debian/Ubuntu, Fedora, Google's packages and macOS, in that order; the first that answers `--version` wins. */
export const SYSTEM_CHROMIUMS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/**
 * Flags for running as root on a machine with no network and no display. The background
 * networking flags matter: without them Chromium keeps dialling Google's hosts, which a
 * closed network refuses many times a second. @sparticuz/chromium's own `args` are not used:
 * they also turn off web security and site isolation (fine on Lambda, wrong for tests that
 * check what a page may load from another origin).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium the browser tests use; throws one line saying what to install when there is none. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env, systemCandidates: readonly string[] = SYSTEM_CHROMIUMS): Promise<FoundChromium> {
  const override = env.CHROMIUM_PATH;
  if (override) {
    if (!(await answersVersion(override))) throw new Error(`Failed to find Chromium: CHROMIUM_PATH=${override} does not run (\`${override} --version\` failed). Please point it at a Chromium or Chrome executable, or unset it.`);
    return { executablePath: override, source: 'CHROMIUM_PATH' };
  }
  for (const candidate of systemCandidates) {
    if (fs.existsSync(candidate) && (await answersVersion(candidate))) return { executablePath: candidate, source: 'system' };
  }
  return { executablePath: await unpackBundledChromium(systemCandidates), source: '@sparticuz/chromium' };
}

/** Ubuntu's chromium-browser can be a stub that only asks for snap: a candidate must run. */
async function answersVersion(executable: string): Promise<boolean> {
  try {
    await run(executable, ['--version'], { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Unpacks @sparticuz/chromium's brotli-packed Linux x64 build. Its `executablePath()` unpacks
 * into `os.tmpdir()` and reuses whatever `chromium` it finds there, so it runs in a child
 * process whose TMPDIR is a fresh staging directory: no stale or half-written /tmp/chromium
 * from another project or another worker, and the result is cached like any other build.
 */
async function unpackBundledChromium(looked: readonly string[]): Promise<string> {
  const notFound = `Failed to find Chromium: CHROMIUM_PATH is not set, no system Chromium or Chrome answers (${looked.join(', ')})`;
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`${notFound}, and @sparticuz/chromium ships a Linux x64 build only (this is ${process.platform}-${process.arch}). Please install Chromium or Chrome, or set CHROMIUM_PATH.`);
  let entry: string;
  try {
    entry = require.resolve('@sparticuz/chromium');
  } catch {
    throw new Error(`${notFound}, and the @sparticuz/chromium dev dependency is not installed. Please run \`npm ci\` (with dev dependencies), or set CHROMIUM_PATH.`);
  }
  const version = packageVersion(entry);
  const dir = await cachedDirectory(`chromium-sparticuz`, version, async (staging) => {
    const script = `require(${JSON.stringify(entry)}).executablePath().then((p) => process.stdout.write(p))`;
    const { stdout } = await run(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: staging }, timeout: 120_000 });
    if (stdout !== path.join(staging, 'chromium')) throw new Error(`Failed to unpack @sparticuz/chromium ${version}: it reported ${stdout}, expected ${path.join(staging, 'chromium')}.`);
  });
  return path.join(dir, 'chromium');
}

/** The version in a package's package.json, found from its main entry (its `exports` hide package.json). */
function packageVersion(entry: string): string {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name && pkg.version) return pkg.version;
  }
  throw new Error(`Failed to read the version of the package at ${entry}.`);
}

export interface LaunchedChromium {
  readonly chromium: FoundChromium;
  readonly context: BrowserContext;
  /** The context's first tab. */
  readonly page: Page;
  /** Closes the browser and removes its profile directory. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  readonly viewport?: { width: number; height: number };
  /** Where CHROMIUM_PATH is read from; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** More command-line switches (e.g. `--host-resolver-rules=…` to point a name at loopback). */
  readonly extraArgs?: readonly string[];
}

/** Finds Chromium and starts it headless with a fresh, empty profile (removed again by `close()`). */
export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  const found = await findChromium(options.env);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-edits-sandbox-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: found.executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
      viewport: options.viewport ?? { width: 1280, height: 900 },
      timeout: 30_000,
    });
  } catch (err) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`Failed to launch Chromium from ${found.executablePath} (${found.source}): ${(err as Error).message}`);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    chromium: found,
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

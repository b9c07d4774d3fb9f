/**
 * `npx image-edits-sandbox` after `npm ci`: the bin is built by `prepare`, answers --help and
 * --version, and `npm pack` would ship everything the server reads at run time.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { OPTIONS } from '../../server/config';
import { REPO_ROOT } from './read-dockerfile';

interface PackageJson {
  version: string;
  bin: Record<string, string>;
  files: string[];
  main: string;
  types: string;
  exports: Record<string, Record<string, string> | string>;
}
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

/** npx with no network fallback: it must find the project's own bin. */
function npx(...args: string[]): string {
  return execFileSync('npx', ['--no-install', 'image-edits-sandbox', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

describe('the package bin', () => {
  beforeAll(() => {
    const bin = path.join(REPO_ROOT, pkg.bin['image-edits-sandbox']!);
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: \`npm ci\` builds it through the prepare script (or run \`npm run build\`).`);
  });

  it('is a node script built into dist/', () => {
    const bin = pkg.bin['image-edits-sandbox']!;
    expect(bin).toMatch(/^dist\/.+\.js$/);
    expect(fs.readFileSync(path.join(REPO_ROOT, bin), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('is executable straight after the build, whatever npx has cached', () => {
    // npm marks a bin executable only when it links it; a cached npx link skips that step.
    const mode = fs.statSync(path.join(REPO_ROOT, pkg.bin['image-edits-sandbox']!)).mode;
    expect(mode & 0o111).toBe(0o111);
  });

  it('prints every option with its environment variable on --help', () => {
    // commander wraps long lines: compare with whitespace collapsed.
    const help = npx('--help').replace(/\s+/g, ' ');
    expect(help).toContain('Usage: image-edits-sandbox');
    const missing = OPTIONS.filter((option) => !help.includes(`--${option.flag} <value>`) || !new RegExp(`\\(env ${option.env}[,)]`).test(help));
    expect(missing.map((option) => option.flag)).toEqual([]);
  });

  it("prints the package's version on --version", () => {
    expect(npx('--version').trim()).toBe(pkg.version);
  });
});

describe('the published package', () => {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 }),
  ) as Array<{ files: Array<{ path: string }> }>;
  const files = new Set(packed[0]!.files.map((f) => f.path));

  it('ships the entry points, their types, the contract and the dashboard', () => {
    const entry = pkg.exports['.'] as Record<string, string>;
    const wanted = [pkg.main, pkg.types, entry.types!, entry.default!, pkg.bin['image-edits-sandbox']!, 'openapi.yaml', 'package.json', 'README.md'];
    for (const file of wanted) expect([file.replace(/^\.\//, ''), files.has(file.replace(/^\.\//, ''))]).toEqual([file.replace(/^\.\//, ''), true]);
    const dashboard = fs.readdirSync(path.join(REPO_ROOT, 'server/controls/dashboard')).map((f) => `server/controls/dashboard/${f}`);
    expect(dashboard.length).toBeGreaterThan(0);
    for (const file of dashboard) expect(files.has(file)).toBe(true);
  });

  it('leaves tests, fixtures and sources out', () => {
    expect([...files].filter((f) => /^(spec|fixtures|bench|examples|\.ci)\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });
});

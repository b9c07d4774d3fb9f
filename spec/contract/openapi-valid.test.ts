import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

describe('openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document', () => {
    // The validator is ESM-only; its CLI runs it in a process of its own.
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js'), 'openapi.yaml'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ valid: true });
  });

  it('declares version 3.1', () => {
    const { document } = jest.requireActual('../../server/contract/spec').sharedContract();
    expect(String(document.openapi)).toMatch(/^3\.1\./);
  });

  it('points only at README sections that exist (README "Section")', () => {
    const headings = new Set([...fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/^#{2,4} (.+)$/gm)].map((match) => match[1]!.trim()));
    const named = [...new Set([...fs.readFileSync(path.join(ROOT, 'openapi.yaml'), 'utf8').matchAll(/README\s+"([^"]+)"/g)].map((match) => match[1]!))];
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !headings.has(name))).toEqual([]);
  });
});

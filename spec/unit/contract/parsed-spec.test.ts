import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parsedSpecPath, parseSpec, writeParsedSpec } from '../../../server/contract/parsed-spec';
import { findSpecPath } from '../../../server/contract/spec';

describe('the parsed copy of openapi.yaml', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parsed-spec-'));
  const specPath = path.join(dir, 'openapi.yaml');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the document the YAML parses to, and is ignored once the YAML changes', () => {
    const text = fs.readFileSync(findSpecPath(), 'utf8');
    fs.writeFileSync(specPath, text);
    writeParsedSpec(specPath);
    expect(fs.existsSync(parsedSpecPath(specPath))).toBe(true);
    expect(parseSpec(text, specPath)).toEqual(parseYaml(text));
    const changed = text.replace('openapi: 3.1.0', 'openapi: 3.1.1');
    expect(changed).not.toBe(text);
    expect(parseSpec(changed, specPath)).toEqual(parseYaml(changed));
  });

  it('parses the YAML when there is no copy', () => {
    fs.rmSync(parsedSpecPath(specPath), { force: true });
    expect(parseSpec('a: 1\n', specPath)).toEqual({ a: 1 });
  });
});

/**
 * startSandbox().close() writes `coverageReport` once the last request has ended and says
 * whether `coverageThreshold` was missed; a report path that cannot be written stops the
 * start with a ConfigError, not a failure at shutdown.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../server/config';
import type { CoverageReport } from '../../server/coverage/coverage-report';
import { fixture } from '../helpers/fixtures';
import { TEST_KEY, testSandbox } from '../helpers/test-sandbox';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-close-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function edit(url: string, headers: Record<string, string> = {}): Promise<number> {
  const form = new FormData();
  form.append('prompt', 'add a red rose');
  form.append('model', 'gpt-image-1');
  form.append('quality', 'low');
  form.append('image', new Blob([fixture('scene-512.png')], { type: 'image/png' }), 'scene-512.png');
  return (await fetch(`${url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}`, ...headers }, body: form })).status;
}

describe('coverage when an embedded sandbox closes', () => {
  it('writes the run of every namespace to each file named, and judges the threshold', async () => {
    const json = path.join(dir, 'reports', 'coverage.json');
    const junit = path.join(dir, 'coverage.junit.xml');
    const sandbox = await testSandbox({ coverageReport: [json, junit], coverageThreshold: 5 });
    expect(await edit(sandbox.url)).toBe(200);
    expect(await edit(sandbox.url, { 'x-sandbox-namespace': 'other', 'x-sandbox-scenario': 'overloaded' })).toBe(503);
    expect(fs.existsSync(json)).toBe(false);
    const result = await sandbox.close();
    expect(result.files).toEqual([json, junit]);
    const written = JSON.parse(fs.readFileSync(json, 'utf8')) as CoverageReport;
    expect(written).toEqual(JSON.parse(JSON.stringify(result.coverage)));
    expect(written.namespace).toBe('*');
    expect(written.outcomes.filter((o) => o.exercised).map((o) => o.id)).toEqual(['success:gpt-image:multipart:b64_json', 'scenario:overloaded']);
    expect(fs.readFileSync(junit, 'utf8')).toContain('name="scenario:overloaded"');
    expect(fs.existsSync(path.join(dir, 'reports', 'coverage.md'))).toBe(false);
    // 2 of some 60 outcomes is under 5%.
    expect(written.exercised * 100 < 5 * written.total).toBe(true);
    expect(result.belowThreshold).toBe(true);
  });

  it('meets a threshold of 0 and writes nothing when no report is asked for', async () => {
    const sandbox = await testSandbox({ coverageThreshold: 0 });
    const result = await sandbox.close();
    expect(result).toMatchObject({ files: [], belowThreshold: false });
    expect(result.coverage?.exercised).toBe(0);
    expect(await (await testSandbox()).close()).toEqual({ coverage: null, files: [], belowThreshold: false });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses at start a report path that cannot be written', async () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const start = testSandbox({ coverageReport: [path.join(blocker, 'coverage.json')] });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(`SANDBOX_COVERAGE_REPORT (--coverage-report) file '${path.join(blocker, 'coverage.json')}' cannot be written`);
    fs.mkdirSync(path.join(dir, 'coverage.md'));
    await expect(testSandbox({ coverageReport: [path.join(dir, 'coverage')] })).rejects.toThrow('it is a folder');
  });
});

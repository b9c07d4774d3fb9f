/**
 * The files of `--coverage-report`: each path's extension picks its format, a path with no
 * extension gets all three; the Markdown summary lists what was never received, the JUnit
 * XML has one testcase per outcome with never-received ones skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coverageReport, type CoverageReport } from '../../../server/coverage/coverage-report';
import { contractOutcomes } from '../../../server/coverage/outcomes';
import { coverageJunitXml, coverageMarkdown, coverageReportFiles, writeCoverageReport } from '../../../server/coverage/report-files';
import { NEWEST_TABLE_DATE } from '../../../server/models/lifecycle';
import { expectToMatchSchema, testContract } from '../../helpers/expect-to-match-spec';

const outcomes = contractOutcomes({ profile: 'seed', apiDate: NEWEST_TABLE_DATE }, testContract());
const received = {
  'success:gpt-image:multipart:b64_json': { count: 3, variants: {} },
  'scenario:rate_limit': { count: 1, variants: {} },
  'error:missingParameter': { count: 2, variants: { [JSON.stringify([400, 'invalid_request_error', 'missing_required_parameter', 'prompt'])]: 2 } },
};
const report: CoverageReport = coverageReport(outcomes, received, { namespace: '*', profile: 'seed', apiDate: NEWEST_TABLE_DATE });

describe('coverage report files', () => {
  it('take their format from the extension, and all three for a path without one', () => {
    expect(coverageReportFiles(['a/c.json', 'b.md', 'c.junit.xml', 'out/coverage'])).toEqual([
      { format: 'json', file: 'a/c.json' },
      { format: 'markdown', file: 'b.md' },
      { format: 'junit', file: 'c.junit.xml' },
      { format: 'json', file: 'out/coverage.json' },
      { format: 'markdown', file: 'out/coverage.md' },
      { format: 'junit', file: 'out/coverage.junit.xml' },
    ]);
  });

  it('are written, folders made, the JSON being the coverage report of openapi.yaml', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-files-'));
    try {
      const written = await writeCoverageReport([path.join(dir, 'deep', 'run')], report);
      expect(written.map((f) => path.relative(dir, f))).toEqual(['deep/run.json', 'deep/run.md', 'deep/run.junit.xml']);
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'deep', 'run.json'), 'utf8')) as CoverageReport;
      expectToMatchSchema(json, 'CoverageReport');
      expect(json).toEqual(JSON.parse(JSON.stringify(report)));
      expect(fs.readFileSync(path.join(dir, 'deep', 'run.md'), 'utf8')).toBe(coverageMarkdown(report));
      expect(fs.readFileSync(path.join(dir, 'deep', 'run.junit.xml'), 'utf8')).toBe(coverageJunitXml(report));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('summarise in Markdown: the totals, each kind, what was never received and what was', () => {
    const md = coverageMarkdown(report);
    expect(md.split('\n')[0]).toBe(`# Outcome coverage: 3 of ${report.total} (${((3 / report.total) * 100).toFixed(1)}%)`);
    expect(md).toContain(`## Never received (${report.total - 3})`);
    expect(md).toContain('## Received (3)');
    expect(md).toContain('| `error:missingParameter` | 2 | 400 invalid_request_error / missing_required_parameter, param `prompt` ×2 |');
    expect(md).toContain('| `scenario:rate_limit` | 1 |');
    const never = md.slice(md.indexOf('## Never received'), md.indexOf('## Received'));
    expect(never).toContain('- `scenario:server_error`:');
    expect(never).not.toContain('scenario:rate_limit');
    for (const kind of report.kinds) expect(md).toContain(`| ${kind.kind} | ${kind.exercised} | ${kind.total} |`);
  });

  it('list one JUnit testcase per outcome, never-received ones skipped, none failed', () => {
    const xml = coverageJunitXml(report);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    const cases = [...xml.matchAll(/<testcase classname="[^"]+" name="([^"]+)" time="0">([\s\S]*?)<\/testcase>/g)];
    expect(cases.map((c) => c[1])).toEqual(report.outcomes.map((o) => o.id));
    const skipped = cases.filter((c) => c[2]!.includes('<skipped ')).map((c) => c[1]);
    expect(skipped).toEqual(report.outcomes.filter((o) => !o.exercised).map((o) => o.id));
    expect(xml).toMatch(new RegExp(`<testsuites [^>]*tests="${report.total}" failures="0" errors="0" skipped="${report.total - 3}"`));
    expect(xml).not.toContain('<failure');
    expect(xml.match(/<testsuite /g)).toHaveLength(report.kinds.length);
  });

  it('escape what XML and Markdown tables cannot hold', () => {
    const hostile = coverageReport(outcomes, { 'error:missingParameter': { count: 1, variants: { [JSON.stringify([400, 'invalid_request_error', null, 'a<b>&"c|d\u0001'])]: 1 } } }, { namespace: 'n', profile: 'seed', apiDate: NEWEST_TABLE_DATE });
    const xml = coverageJunitXml(hostile);
    expect(xml).toContain('param `a&lt;b&gt;&amp;&quot;c|d`');
    expect(xml).not.toContain('\u0001');
    expect(coverageMarkdown(hostile)).toContain('param `a<b>&"c\\|d\u0001`');
  });
});

/**
 * `--coverage-report FILE[,FILE...]`: the run's coverage report written at shutdown for the
 * three readers a CI run has, each file in the format of its extension: `.json` (what
 * GET /__sandbox/coverage?namespace=* answers), `.md` (a Markdown summary for a person
 * reading the log or the job summary) and `.junit.xml` (JUnit XML, one testcase per outcome,
 * so CI test views list them). A path with no extension gets all three beside each other.
 * Never-received outcomes are JUnit `skipped`, not `failure`: a test reporter that fails a
 * build on any failure would otherwise fail every build short of 100%, and CI views still
 * list skipped cases apart; `--coverage-threshold` is the one switch that fails a build.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CoverageReport, ReportedOutcome } from './coverage-report';

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** Text in a Markdown table cell or list item: one line, no table or code breaks. */
function mdText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|').replace(/`/g, "'");
}

/** How an error outcome was seen; `cell` quotes a client-chosen param for where the text goes. */
function seenText(outcome: ReportedOutcome, cell: (text: string) => string = mdText): string {
  return (outcome.seen ?? [])
    .map((s) => `${s.status} ${s.type}${s.code ? ` / ${s.code}` : ''}${s.param !== null ? `, param \`${cell(s.param)}\`` : ''} ×${s.count}`)
    .join('; ');
}

export function coverageMarkdown(report: CoverageReport): string {
  const scope = report.namespace === '*' ? 'every namespace' : `namespace \`${mdText(report.namespace)}\``;
  const lines = [
    `# Outcome coverage: ${report.exercised} of ${report.total} (${percent(report.fraction)})`,
    '',
    `What the clients of image-edits-sandbox received (${scope}; profile \`${report.profile}\`, API date ${report.api_date}).`,
    '',
    '| kind | exercised | total |',
    '|---|---:|---:|',
    ...report.kinds.map((k) => `| ${k.kind} | ${k.exercised} | ${k.total} |`),
    '',
  ];
  const missing = report.outcomes.filter((o) => !o.exercised);
  lines.push(`## Never received (${missing.length})`, '');
  for (const kind of report.kinds) {
    const ofKind = missing.filter((o) => o.kind === kind.kind);
    if (ofKind.length === 0) continue;
    lines.push(`### ${kind.kind}`, '', ...ofKind.map((o) => `- \`${o.id}\`: ${mdText(o.description)}`), '');
  }
  const received = report.outcomes.filter((o) => o.exercised);
  lines.push(`## Received (${received.length})`, '');
  if (received.length > 0) {
    lines.push('| outcome | count | seen as |', '|---|---:|---|');
    for (const o of received) lines.push(`| \`${o.id}\` | ${o.count} | ${seenText(o)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/** XML 1.0 text or attribute value: escaped, and characters XML cannot hold dropped. */
function xml(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function coverageJunitXml(report: CoverageReport): string {
  const skipped = report.total - report.exercised;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="image-edits-sandbox outcome coverage" tests="${report.total}" failures="0" errors="0" skipped="${skipped}" time="0">`,
  ];
  for (const kind of report.kinds) {
    lines.push(`  <testsuite name="${xml(kind.kind)}" tests="${kind.total}" failures="0" errors="0" skipped="${kind.total - kind.exercised}" time="0">`);
    for (const o of report.outcomes.filter((outcome) => outcome.kind === kind.kind)) {
      const open = `    <testcase classname="image-edits-sandbox.coverage.${xml(o.kind)}" name="${xml(o.id)}" time="0">`;
      if (o.exercised) lines.push(open, `      <system-out>${xml(`received ${o.count} time${o.count === 1 ? '' : 's'}: ${o.description}${o.seen?.length ? ` (seen as ${seenText(o, (text) => text)})` : ''}`)}</system-out>`, '    </testcase>');
      else lines.push(open, `      <skipped message="${xml(`never received: ${o.description}`)}"/>`, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

export type ReportFormat = 'json' | 'markdown' | 'junit';

const EXTENSIONS: Readonly<Record<ReportFormat, string>> = { json: '.json', markdown: '.md', junit: '.junit.xml' };

/** The files `--coverage-report` names, each with its format (config.ts has checked the extensions). */
export function coverageReportFiles(paths: readonly string[]): { readonly format: ReportFormat; readonly file: string }[] {
  return paths.flatMap((file) => {
    const format = (Object.keys(EXTENSIONS) as ReportFormat[]).find((f) => file.endsWith(EXTENSIONS[f]));
    return format ? [{ format, file }] : (Object.keys(EXTENSIONS) as ReportFormat[]).map((f) => ({ format: f, file: `${file}${EXTENSIONS[f]}` }));
  });
}

const RENDER: Readonly<Record<ReportFormat, (report: CoverageReport) => string>> = {
  json: (report) => `${JSON.stringify(report, null, 2)}\n`,
  markdown: coverageMarkdown,
  junit: coverageJunitXml,
};

/** Writes every file `--coverage-report` names (folders made as needed); returns their paths. */
export async function writeCoverageReport(paths: readonly string[], report: CoverageReport): Promise<string[]> {
  const files = coverageReportFiles(paths);
  await Promise.all(
    files.map(async ({ format, file }) => {
      await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
      await fs.writeFile(file, RENDER[format](report));
    }),
  );
  return files.map(({ file }) => file);
}

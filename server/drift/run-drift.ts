/**
 * `image-edits-sandbox drift DIR`: every request of a cassette is sent again, in recorded
 * order, to a sandbox started in this process with the command line's configuration (profile,
 * API date, seed, …), and each answer's shape is compared with the recorded answer's
 * (answer-shape.ts). The report says, per exchange, where they differ; the exit code is 1 when
 * any does, 0 when none does, and 2 when the check could not run (a bad cassette).
 */
import type { SandboxConfig } from '../config';
import type { components } from '../contract/openapi-types.gen';
import { sharedContract } from '../contract/spec';
import { createLogger } from '../logger';
import { CassetteError } from '../proxy/cassette';
import { readCassette, recordedResponseBody, type CassetteEntry } from '../proxy/cassette-reader';
import { listen } from '../start-sandbox';
import { shapeOf, type Answer } from './answer-shape';
import { compareShapes } from './compare-shapes';
import { learnIds, rebuildRequest, type IdMap } from './rebuild-request';

/** What `--json` prints: openapi.yaml's DriftReport. */
export type DriftReport = components['schemas']['DriftReport'];
type ExchangeDrift = components['schemas']['ExchangeDrift'];

/** The sandbox the cassette is checked against: the user's choices of behaviour, none of the serving ones (nor its coverage report, which belongs to the sandbox the user serves). */
function checkedConfig(config: SandboxConfig): SandboxConfig {
  return { ...config, port: 0, host: '127.0.0.1', logLevel: 'silent', apiKeys: [], adminToken: null, latencyMs: 0, streamIntervalMs: 0, stateUrl: null, upstream: null, recordDir: null, replayDir: null, coverageReport: null, coverageThreshold: null };
}

async function sandboxAnswer(entry: CassetteEntry, base: string, ids: IdMap): Promise<Answer> {
  const { url, init } = rebuildRequest(entry, base, ids);
  const response = await fetch(url, init);
  return { status: response.status, contentType: response.headers.get('content-type') ?? undefined, body: Buffer.from(await response.arrayBuffer()) };
}

/** @throws CassetteError when the cassette cannot be read. */
export async function checkDrift(dir: string, config: SandboxConfig): Promise<DriftReport> {
  const entries = readCassette(dir, sharedContract());
  const sandbox = await listen(checkedConfig(config), createLogger('silent'));
  const ids: IdMap = new Map();
  const exchanges: ExchangeDrift[] = [];
  try {
    for (const entry of entries) {
      const { method, path, query } = entry.exchange.request;
      const recordedBody = recordedResponseBody(entry);
      const recorded: Answer = { status: entry.exchange.response.status, contentType: entry.exchange.response.headers['content-type'], body: recordedBody };
      const answer = await sandboxAnswer(entry, sandbox.url, ids);
      learnIds(recordedBody, answer.body, ids);
      const differences = compareShapes(await shapeOf(recorded), await shapeOf(answer));
      exchanges.push({ name: entry.name, method, path: query ? `${path}?${query}` : path, differences });
    }
  } finally {
    await sandbox.close({ graceMs: 0 });
  }
  return { cassette: dir, profile: config.profile, api_date: config.apiDate, exchanges, differing: exchanges.filter((e) => e.differences.length > 0).length };
}

/** The report as people read it: one line per exchange, and under a differing one a line per difference. */
export function formatReport(report: DriftReport): string {
  const lines = [
    `drift: ${report.exchanges.length} exchange(s) in ${report.cassette} against this sandbox (profile ${report.profile}, API date ${report.api_date}): ${report.differing === 0 ? 'no drift' : `${report.differing} differ`}`,
    '',
  ];
  for (const exchange of report.exchanges) {
    lines.push(`${exchange.name}  ${exchange.method} ${exchange.path}: ${exchange.differences.length === 0 ? 'same' : `${exchange.differences.length} difference(s)`}`);
    for (const difference of exchange.differences) lines.push(`  ${difference.at}: recorded ${difference.recorded}, sandbox ${difference.sandbox}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The subcommand: the report on `write`, and the exit code. */
export async function runDrift(dir: string, config: SandboxConfig, options: { json: boolean; write: (text: string) => void; writeError: (text: string) => void }): Promise<number> {
  let report: DriftReport;
  try {
    report = await checkDrift(dir, config);
  } catch (err) {
    if (!(err instanceof CassetteError)) throw err;
    options.writeError(`image-edits-sandbox drift: ${err.message}\n`);
    return 2;
  }
  options.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.differing === 0 ? 0 : 1;
}

/**
 * Outcome coverage at shutdown: once the last request has ended, the run's report (every
 * namespace) is taken, written to `--coverage-report FILE` and held against
 * `--coverage-threshold`. main.ts turns a report short of the threshold into exit code 3.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type SandboxConfig } from '../config';
import type { Contract } from '../contract/spec';
import { ALL_NAMESPACES, type CoverageState } from '../stores/state';
import { namespaceReport, type CoverageReport } from './coverage-report';
import { coverageReportFiles, writeCoverageReport } from './report-files';

type CoverageSettings = Pick<SandboxConfig, 'coverageReport' | 'coverageThreshold' | 'profile' | 'apiDate'>;

export interface ClosingCoverage {
  /** The run's report, when a coverage report or threshold was asked for; else null. */
  readonly coverage: CoverageReport | null;
  /** The report files written. */
  readonly files: readonly string[];
  /** A threshold was set and less than it (a percent) of the outcomes were received. */
  readonly belowThreshold: boolean;
}

/**
 * Fails at start, not at shutdown, when a report file's folder cannot be made or written,
 * or the file is there and cannot be overwritten.
 * @throws ConfigError naming SANDBOX_COVERAGE_REPORT.
 */
export function checkCoverageReportPaths(paths: readonly string[] | null): void {
  for (const { file } of coverageReportFiles(paths ?? [])) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      fs.accessSync(path.dirname(path.resolve(file)), fs.constants.W_OK);
      if (fs.existsSync(file)) {
        if (fs.statSync(file).isDirectory()) throw new Error('it is a folder');
        fs.accessSync(file, fs.constants.W_OK);
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new ConfigError(`SANDBOX_COVERAGE_REPORT (--coverage-report) file '${file}' cannot be written: ${reason}.`);
    }
  }
}

/** Takes, writes and judges the run's coverage. @throws when the state cannot be read or the files cannot be written. */
export async function closingCoverage(settings: CoverageSettings, contract: Contract, coverage: CoverageState): Promise<ClosingCoverage> {
  if (settings.coverageReport === null && settings.coverageThreshold === null) return { coverage: null, files: [], belowThreshold: false };
  const report = await namespaceReport(settings, contract, coverage, ALL_NAMESPACES);
  const files = settings.coverageReport === null ? [] : await writeCoverageReport(settings.coverageReport, report);
  return { coverage: report, files, belowThreshold: settings.coverageThreshold !== null && report.exercised * 100 < settings.coverageThreshold * report.total };
}

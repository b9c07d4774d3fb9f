#!/usr/bin/env node
/**
 * `npm start` / `npx image-edits-sandbox`: config from env and flags, listen, log the URL,
 * and shut down cleanly on SIGTERM/SIGINT (a second signal exits at once).
 * `npx image-edits-sandbox drift DIR`: the drift check of a cassette (drift/run-drift.ts).
 */
import { ConfigError, ConfigExit, resolveCommandLine, type CliCommand, type SandboxConfig } from './config';
import { runDrift } from './drift/run-drift';
import { createLogger } from './logger';
import { CassetteError } from './proxy/cassette';
import type { ClosingCoverage } from './coverage/closing-coverage';
import { listen, type SandboxHandle } from './start-sandbox';
import { SANDBOX_VERSION } from './version';

/**
 * Exit codes: 0 done, 1 could not listen (or could not write the coverage report at
 * shutdown), 2 bad configuration (or a cassette that cannot be used), 3 outcome coverage
 * below SANDBOX_COVERAGE_THRESHOLD, 130 forced by a second signal. `drift`: 0 no drift,
 * 1 drift, 2 the check could not run.
 */
function readCommandLineOrExit(): { config: SandboxConfig; command: CliCommand } {
  try {
    return resolveCommandLine({ argv: process.argv, env: process.env, version: SANDBOX_VERSION });
  } catch (err) {
    if (err instanceof ConfigExit) process.exit(0);
    if (err instanceof ConfigError) {
      process.stderr.write(`image-edits-sandbox: ${err.message}\nRun with --help to see every option.\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** The coverage line of the shutdown log, and the exit code the coverage asks for. */
function coverageVerdict(result: ClosingCoverage, config: SandboxConfig, log: (line: string) => void): number {
  const report = result.coverage;
  if (!report) return 0;
  const share = `${(report.fraction * 100).toFixed(1)}%`;
  const written = result.files.length === 0 ? '' : `; written to ${result.files.join(', ')}`;
  log(`outcome coverage: ${report.exercised} of ${report.total} outcomes received (${share})${written}`);
  if (!result.belowThreshold) return 0;
  process.stderr.write(`image-edits-sandbox: outcome coverage ${share} (${report.exercised} of ${report.total}) is below --coverage-threshold ${config.coverageThreshold}%\n`);
  return 3;
}

/** First signal: stop accepting, let in-flight requests and streams finish (bounded), write the coverage report, exit. Second: exit at once. */
function exitOnSignals(sandbox: SandboxHandle, config: SandboxConfig, log: (line: string) => void): void {
  const graceMs = config.shutdownGraceMs;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    log(`${signal}: no longer accepting connections; finishing in-flight requests (up to ${graceMs} ms)`);
    void sandbox.close({ graceMs }).then(
      (result) => process.exit(coverageVerdict(result, config, log)),
      (err: unknown) => {
        process.stderr.write(`image-edits-sandbox: could not write the coverage report: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The drift subcommand: its report on stdout, one line on stderr if it cannot run. */
async function drift(dir: string, json: boolean, config: SandboxConfig): Promise<never> {
  const writeError = (text: string) => process.stderr.write(text);
  try {
    process.exit(await runDrift(dir, config, { json, write: (text) => process.stdout.write(text), writeError }));
  } catch (err) {
    writeError(`image-edits-sandbox drift: the check could not run: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const { config, command } = readCommandLineOrExit();
  if (command.name === 'drift') return drift(command.dir, command.json, config);
  const logger = createLogger(config.logLevel);
  let sandbox: SandboxHandle;
  try {
    sandbox = await listen(config, logger);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`image-edits-sandbox: ${err.message}\n`);
      process.exit(2);
    }
    if (err instanceof CassetteError) {
      process.stderr.write(`image-edits-sandbox: ${config.replayDir !== null ? 'SANDBOX_REPLAY_DIR (--replay)' : 'SANDBOX_RECORD_DIR (--record)'}: ${err.message}\n`);
      process.exit(2);
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`image-edits-sandbox: could not listen on ${config.host}:${config.port}: ${message}\n`);
    process.exit(1);
  }
  logger.info(`image-edits-sandbox ${SANDBOX_VERSION} listening on ${sandbox.url} (POST ${sandbox.url}/v1/images/edits)`);
  exitOnSignals(sandbox, config, (line) => logger.info(line));
}

void main();

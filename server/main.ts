#!/usr/bin/env node
/**
 * `npm start` / `npx image-edits-sandbox`: config from env and flags, listen, log the URL,
 * and shut down cleanly on SIGTERM/SIGINT (a second signal exits at once).
 */
import { ConfigError, ConfigExit, resolveConfig, type SandboxConfig } from './config';
import { createLogger } from './logger';
import { listen, type SandboxHandle } from './start-sandbox';
import { SANDBOX_VERSION } from './version';

/** Exit codes: 0 done, 1 could not listen, 2 bad configuration, 130 forced by a second signal. */
function readConfigOrExit(): SandboxConfig {
  try {
    return resolveConfig({ argv: process.argv, env: process.env, version: SANDBOX_VERSION });
  } catch (err) {
    if (err instanceof ConfigExit) process.exit(0);
    if (err instanceof ConfigError) {
      process.stderr.write(`image-edits-sandbox: ${err.message}\nRun with --help to see every option.\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** First signal: stop accepting, let in-flight requests and streams finish (bounded), exit 0. Second: exit at once. */
function exitOnSignals(sandbox: SandboxHandle, graceMs: number, log: (line: string) => void): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    log(`${signal}: no longer accepting connections; finishing in-flight requests (up to ${graceMs} ms)`);
    void sandbox.close({ graceMs }).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createLogger(config.logLevel);
  let sandbox: SandboxHandle;
  try {
    sandbox = await listen(config, logger);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`image-edits-sandbox: could not listen on ${config.host}:${config.port}: ${message}\n`);
    process.exit(1);
  }
  logger.info(`image-edits-sandbox ${SANDBOX_VERSION} listening on ${sandbox.url} (POST ${sandbox.url}/v1/images/edits)`);
  exitOnSignals(sandbox, config.shutdownGraceMs, (line) => logger.info(line));
}

void main();

#!/usr/bin/env node
/**
 * `npm start` / `npx image-edits-sandbox`: config from env and flags, listen, log the URL,
 * and shut down cleanly on SIGTERM/SIGINT (a second signal exits at once).
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, configFromStrings, loadConfigFromEnv, OPTIONS, type SandboxConfig } from './config';
import { createLogger } from './logger';
import { listen } from './start-sandbox';
import { SANDBOX_VERSION } from './version';

/** Flags override env vars; both go through the same parsers. */
function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv): SandboxConfig {
  const program = new Command('image-edits-sandbox')
    .description('A deterministic sandbox of the OpenAI image edits API (POST /v1/images/edits).')
    .version(SANDBOX_VERSION)
    .helpOption('-h, --help')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const option of OPTIONS) program.option(`--${option.flag} <value>`, `${option.help} (env ${option.env})`);
  program.parse(argv as string[], { from: 'node' });
  const flags = program.opts<Record<string, string>>();
  const fromEnv = loadConfigFromEnv(env);
  const raw: Record<string, string> = {};
  for (const option of OPTIONS) {
    const camel = option.flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (flags[camel] !== undefined) raw[option.key] = flags[camel];
  }
  const fromFlags = configFromStrings(raw, (option) => `--${option.flag}`);
  const result: Record<string, unknown> = { ...fromEnv };
  for (const key of Object.keys(raw)) result[key] = fromFlags[key as keyof SandboxConfig];
  return result as unknown as SandboxConfig;
}

async function main(): Promise<void> {
  let config: SandboxConfig;
  try {
    config = readConfig(process.argv, process.env);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') process.exit(0);
    if (err instanceof ConfigError || err instanceof InvalidArgumentError || (code ?? '').startsWith('commander.')) {
      if (err instanceof ConfigError) process.stderr.write(`image-edits-sandbox: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let sandbox;
  try {
    sandbox = await listen(config, logger);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`image-edits-sandbox: ${err.message}\n`);
      process.exit(2);
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`image-edits-sandbox: could not listen on ${config.host}:${config.port}: ${message}\n`);
    process.exit(1);
  }
  logger.info(`image-edits-sandbox ${SANDBOX_VERSION} listening on ${sandbox.url} (POST ${sandbox.url}/v1/images/edits)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info(`${signal}: finishing in-flight requests`);
    void sandbox.close({ graceMs: 10_000 }).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();

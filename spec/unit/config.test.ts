/**
 * resolveConfig: env vars, CLI flags and startSandbox options -> one typed config; bad values
 * name their variable, flag or option; --help and the README table come from the same table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, ConfigExit, configTableMarkdown, defaultConfig, EMBEDDED_DEFAULTS, OPTIONS, resolveCommandLine, resolveConfig, type SandboxConfig } from '../../server/config';

const argv = (...flags: string[]) => ['node', 'main.js', ...flags];
const load = (env: Record<string, string>, ...flags: string[]) => resolveConfig({ argv: argv(...flags), env, version: '9.9.9', writeOut: () => undefined });
const loadConfig = (args: string[], env: Record<string, string>, version: string, writeOut: (s: string) => void) => resolveConfig({ argv: args, env, version, writeOut });
const configFromOptions = (options: Partial<SandboxConfig>) => resolveConfig({ options, defaults: EMBEDDED_DEFAULTS });

describe('resolveConfig from env and flags', () => {
  it('gives the documented defaults with no env and no flags', () => {
    expect(load({})).toEqual(defaultConfig());
    expect(load({})).toMatchObject({ port: 4010, host: '127.0.0.1', seed: 'sandbox', latencyMs: 0, journalSize: 200, adminToken: null, logLevel: 'info' });
  });

  it('reads every option from its environment variable', () => {
    const config = load({
      PORT: '4011',
      HOST: '0.0.0.0',
      SANDBOX_API_KEYS: 'sk-a, sk-b',
      SANDBOX_SEED: 'ci',
      SANDBOX_NOW: '1767225600',
      SANDBOX_LATENCY_MS: '25',
      SANDBOX_JOURNAL_SIZE: '10',
      SANDBOX_JOURNAL_BYTES: '1000',
      SANDBOX_ADMIN_TOKEN: 'secret-token',
      SANDBOX_LOG_LEVEL: 'silent',
      SANDBOX_URL_TTL_SECONDS: '60',
    });
    expect(config).toMatchObject({ port: 4011, host: '0.0.0.0', apiKeys: ['sk-a', 'sk-b'], seed: 'ci', now: 1767225600, latencyMs: 25, journalSize: 10, journalBytes: 1000, adminToken: 'secret-token', logLevel: 'silent', urlTtlSeconds: 60 });
  });

  it('has a flag for every option, and flags win over the environment', () => {
    const config = load({ PORT: '4011', SANDBOX_SEED: 'env' }, '--port', '4012', '--seed', '7', '--latency-ms', '5', '--admin-token', 'flag-token-1');
    expect(config).toMatchObject({ port: 4012, seed: '7', latencyMs: 5, adminToken: 'flag-token-1' });
    // Each flag accepts a valid value: its default, or a sample where the default is "unset".
    const samples: Record<string, string> = { now: '0', publicUrl: 'http://x.test', adminToken: 'abcdefgh', apiKeys: 'k', stateUrl: 'redis://127.0.0.1:6379', urlSecret: 'a-secret-of-16-chars', upstream: 'http://127.0.0.1:1/v1', recordDir: 'cassette', replayDir: 'cassette', coverageReport: 'coverage.json', coverageThreshold: '80' };
    // Options that need another one beside them.
    const companions: Record<string, string[]> = { stateUrl: ['--url-secret', 'a-secret-of-16-chars'], recordDir: ['--upstream', 'http://127.0.0.1:1/v1'] };
    for (const option of OPTIONS) {
      const fallback = Array.isArray(option.default) ? option.default.join(',') : option.default === null ? '' : String(option.default as unknown);
      const value = samples[option.key] ?? fallback;
      expect(() => load({}, `--${option.flag}`, value, ...(companions[option.key] ?? []))).not.toThrow();
    }
  });

  it.each([
    { env: { PORT: 'eighty' }, names: 'PORT' },
    { env: { PORT: '70000' }, names: 'PORT' },
    { env: { SANDBOX_NOW: '-1' }, names: 'SANDBOX_NOW' },
    { env: { SANDBOX_LATENCY_MS: '1.5' }, names: 'SANDBOX_LATENCY_MS' },
    { env: { SANDBOX_LATENCY_MS: '70000' }, names: 'SANDBOX_LATENCY_MS' },
    { env: { SANDBOX_JOURNAL_SIZE: 'lots' }, names: 'SANDBOX_JOURNAL_SIZE' },
    { env: { SANDBOX_JOURNAL_BYTES: '-1' }, names: 'SANDBOX_JOURNAL_BYTES' },
    { env: { SANDBOX_LOG_LEVEL: 'loud' }, names: 'SANDBOX_LOG_LEVEL' },
    { env: { SANDBOX_PROFILE: 'OpenAI' }, names: 'SANDBOX_PROFILE' },
    { env: { SANDBOX_PUBLIC_URL: 'not a url' }, names: 'SANDBOX_PUBLIC_URL' },
    { env: { SANDBOX_ADMIN_TOKEN: 'short' }, names: 'SANDBOX_ADMIN_TOKEN' },
    { env: { SANDBOX_ADMIN_TOKEN: 'has a space in it' }, names: 'SANDBOX_ADMIN_TOKEN' },
    { env: { SANDBOX_SHUTDOWN_GRACE_MS: 'forever' }, names: 'SANDBOX_SHUTDOWN_GRACE_MS' },
    { env: { SANDBOX_URL_TTL_SECONDS: '0' }, names: 'SANDBOX_URL_TTL_SECONDS' },
    { env: { SANDBOX_STATE_URL: 'http://127.0.0.1:6379', SANDBOX_URL_SECRET: 'a-secret-of-16-chars' }, names: 'SANDBOX_STATE_URL' },
    { env: { SANDBOX_STATE_URL: 'redis://127.0.0.1:6379' }, names: 'SANDBOX_URL_SECRET is required with SANDBOX_STATE_URL' },
    { env: { SANDBOX_URL_SECRET: 'too-short' }, names: 'SANDBOX_URL_SECRET' },
    { env: { SANDBOX_STATE_PREFIX: 'has space' }, names: 'SANDBOX_STATE_PREFIX' },
    { env: { SANDBOX_STATE_TIMEOUT_MS: '10' }, names: 'SANDBOX_STATE_TIMEOUT_MS' },
    { env: { SANDBOX_UPSTREAM: 'ftp://api.test/v1' }, names: 'SANDBOX_UPSTREAM' },
    { env: { SANDBOX_UPSTREAM: 'https://api.test/v1?key=1' }, names: 'SANDBOX_UPSTREAM' },
    { env: { SANDBOX_RECORD_DIR: 'cassette' }, names: 'SANDBOX_RECORD_DIR needs SANDBOX_UPSTREAM' },
    { env: { SANDBOX_REPLAY_DIR: 'cassette', SANDBOX_UPSTREAM: 'https://api.test/v1' }, names: 'SANDBOX_REPLAY_DIR and SANDBOX_UPSTREAM cannot be used together' },
    { env: { SANDBOX_REPLAY_MISS: 'forward' }, names: 'SANDBOX_REPLAY_MISS' },
    { env: { SANDBOX_COVERAGE_THRESHOLD: 'most' }, names: 'SANDBOX_COVERAGE_THRESHOLD must be a percent from 0 to 100' },
    { env: { SANDBOX_COVERAGE_THRESHOLD: '120' }, names: 'SANDBOX_COVERAGE_THRESHOLD' },
    { env: { SANDBOX_COVERAGE_THRESHOLD: '-5' }, names: 'SANDBOX_COVERAGE_THRESHOLD' },
    { env: { SANDBOX_COVERAGE_REPORT: 'coverage.xml' }, names: "SANDBOX_COVERAGE_REPORT must end in .json, .md or .junit.xml (or have no extension, for all three), got 'coverage.xml'" },
    { env: { SANDBOX_COVERAGE_REPORT: ' , ' }, names: 'SANDBOX_COVERAGE_REPORT must name at least one file' },
  ])('rejects $env naming $names', ({ env, names }) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(names);
  });

  it.each([
    { flags: ['--port', 'eighty'], names: '--port' },
    { flags: ['--latency-ms', 'x'], names: '--latency-ms' },
    { flags: ['--log-level', 'loud'], names: '--log-level' },
    { flags: ['--colour', 'red'], names: '--colour' },
    { flags: ['--port'], names: '--port' },
  ])('rejects the flags $flags naming $names', ({ flags, names }) => {
    expect(() => load({}, ...flags)).toThrow(ConfigError);
    expect(() => load({}, ...flags)).toThrow(names);
  });

  it('reads the upstream as the SDKs take a base URL: an origin alone means its /v1, a trailing slash is dropped', () => {
    expect(load({ SANDBOX_UPSTREAM: 'https://api.test' }).upstream).toBe('https://api.test/v1');
    expect(load({ SANDBOX_UPSTREAM: 'http://127.0.0.1:9000/v1/' }).upstream).toBe('http://127.0.0.1:9000/v1');
    expect(load({ SANDBOX_UPSTREAM: 'https://gateway.test/openai/v1' }).upstream).toBe('https://gateway.test/openai/v1');
    expect(() => load({ SANDBOX_UPSTREAM: 'https://user:sk-secret-1@api.test/v1' })).toThrow(/https:\/\/…@api\.test/);
    expect(() => load({ SANDBOX_UPSTREAM: 'https://user:sk-secret-1@api.test/v1' })).not.toThrow(/sk-secret-1/);
  });

  it('reads the drift subcommand with the sandbox options around it, and refuses it without its directory', () => {
    expect(resolveCommandLine({ argv: argv('drift', 'cassette', '--profile', 'openai', '--json'), env: {}, writeOut: () => undefined })).toMatchObject({ command: { name: 'drift', dir: 'cassette', json: true }, config: { profile: 'openai' } });
    expect(resolveCommandLine({ argv: argv('--seed', '7'), env: {}, writeOut: () => undefined }).command).toEqual({ name: 'serve' });
    expect(() => load({}, 'drift')).toThrow("missing required argument 'dir'");
    expect(() => load({}, 'serve-me')).toThrow(ConfigError);
  });

  it('never echoes the password of a bad SANDBOX_STATE_URL', () => {
    expect(() => load({ SANDBOX_STATE_URL: 'http://user:hunter22@redis.test:6379', SANDBOX_URL_SECRET: 'a-secret-of-16-chars' })).toThrow(/http:\/\/…@redis\.test/);
    expect(() => load({ SANDBOX_STATE_URL: 'http://user:hunter22@redis.test:6379', SANDBOX_URL_SECRET: 'a-secret-of-16-chars' })).not.toThrow(/hunter22/);
  });

  it('reads coverage report paths as a list and the threshold as a percent', () => {
    expect(load({ SANDBOX_COVERAGE_REPORT: 'out/coverage.json, out/coverage.junit.xml', SANDBOX_COVERAGE_THRESHOLD: '80%' })).toMatchObject({
      coverageReport: ['out/coverage.json', 'out/coverage.junit.xml'],
      coverageThreshold: 80,
    });
    expect(load({}, '--coverage-report', 'reports.d/coverage', '--coverage-threshold', '92.5')).toMatchObject({ coverageReport: ['reports.d/coverage'], coverageThreshold: 92.5 });
    expect(load({})).toMatchObject({ coverageReport: null, coverageThreshold: null });
    expect(() => load({}, '--coverage-threshold', '0.8x')).toThrow('--coverage-threshold must be a percent');
  });

  it('checks latency against its maximum across env and flags', () => {
    expect(() => load({ SANDBOX_MAX_LATENCY_MS: '100' }, '--latency-ms', '200')).toThrow('must not exceed SANDBOX_MAX_LATENCY_MS');
    expect(load({ SANDBOX_MAX_LATENCY_MS: '100000' }, '--latency-ms', '70000').latencyMs).toBe(70000);
  });

  it('answers --help with every option and its env var, and --version with the version', () => {
    let out = '';
    expect(() => loadConfig(argv('--help'), {}, '9.9.9', (s) => (out += s))).toThrow(ConfigExit);
    for (const option of OPTIONS) {
      expect(out).toContain(`--${option.flag}`);
      expect(out).toContain(option.env);
    }
    out = '';
    expect(() => loadConfig(argv('--version'), {}, '9.9.9', (s) => (out += s))).toThrow(ConfigExit);
    expect(out.trim()).toBe('9.9.9');
  });
});

describe('resolveConfig from startSandbox options', () => {
  it('takes the same options as an object, defaulting to a free port and no log', () => {
    expect(configFromOptions({ seed: '7', adminToken: 'secret-token' })).toMatchObject({ port: 0, logLevel: 'silent', seed: '7', adminToken: 'secret-token' });
  });

  it('rejects an unknown option and a bad value by name', () => {
    expect(() => configFromOptions({ colour: 'red' } as never)).toThrow("Unknown sandbox option 'colour'");
    expect(() => configFromOptions({ journalSize: -1 })).toThrow('journalSize');
  });

  it('reads typed values as they are, without turning them into text first', () => {
    expect(configFromOptions({ apiKeys: ['sk-a', ' sk-b '], now: 0, publicUrl: 'http://x.test/path' })).toMatchObject({ apiKeys: ['sk-a', 'sk-b'], now: 0, publicUrl: 'http://x.test' });
    expect(() => configFromOptions({ port: '4010' as never, journalSize: 1.5 })).toThrow('journalSize');
    expect(() => configFromOptions({ profile: 'live' as never })).toThrow("profile must be one of seed, openai, got 'live'");
  });

  it('wins over flags and the environment, and names each source in its errors', () => {
    expect(resolveConfig({ argv: argv('--seed', 'flag'), env: { SANDBOX_SEED: 'env' }, options: { seed: 'option' } }).seed).toBe('option');
    expect(() => resolveConfig({ env: { SANDBOX_DEFAULT_MODEL: 'dall-e-9' } })).toThrow("SANDBOX_DEFAULT_MODEL must be one of");
    expect(() => configFromOptions({ defaultModel: 'dall-e-9' })).toThrow("defaultModel must be one of");
  });
});

describe('the README configuration table', () => {
  it('is the table OPTIONS writes (npm run docs:config rewrites it)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const block = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    expect(block).toBe(configTableMarkdown());
  });
});

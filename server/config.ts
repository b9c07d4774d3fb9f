/**
 * One typed config, from one table of options. Environment variables, CLI flags and
 * `startSandbox(options)` all go through `resolveConfig`, and every value through its
 * option's reader, so a bad value names the variable, flag or option it came from. `--help`
 * and the README's configuration table are written from the same table (`npm run docs:config`).
 * This is the only module that reads the environment it is given (main.ts passes process.env).
 */
import { Command } from 'commander';
import { isIsoDate, NEWEST_TABLE_DATE } from './models/lifecycle';
import { PROFILE_NAMES, type Profile } from './models/profiles';
import { findModelRules, modelIds } from './models/rules';

export type { Profile };
export type LogLevel = 'silent' | 'info' | 'debug';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** `--help` and `--version` were answered: the caller exits 0. */
export class ConfigExit extends Error {
  constructor() {
    super('help or version printed');
    this.name = 'ConfigExit';
  }
}

/** Reads one option's value: text from env or a flag, or a typed value from `startSandbox`. */
type Reader<T> = (value: unknown, name: string) => T;

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function integer(min: number, max: number): Reader<number> {
  return (value, name) => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${shown(value)}'.`);
    return n;
  };
}

function oneOf<T extends string>(values: readonly T[]): Reader<T> {
  return (value, name) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
      throw new ConfigError(`${name} must be one of ${values.join(', ')}, got '${shown(value)}'.`);
    return value as T;
  };
}

const text: Reader<string> = (value, name) => {
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`${name} must be a non-empty string, got '${shown(value)}'.`);
  return value;
};

/** A list: comma-separated text, or an array of strings. */
const keyList: Reader<string[]> = (value, name) => {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  if (!items || items.some((k) => typeof k !== 'string')) throw new ConfigError(`${name} must be a comma-separated list of keys, got '${shown(value)}'.`);
  return (items as string[]).map((k) => k.trim()).filter((k) => k.length > 0);
};

const origin: Reader<string> = (value, name) => {
  try {
    return new URL(String(value)).origin;
  } catch {
    throw new ConfigError(`${name} must be an absolute URL such as http://localhost:4010, got '${shown(value)}'.`);
  }
};

/** A secret sent as a Bearer token: printable, no spaces. */
const token: Reader<string> = (value, name) => {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{8,512}$/.test(value)) throw new ConfigError(`${name} must be 8 to 512 printable characters without spaces.`);
  return value;
};

/** A calendar day, `YYYY-MM-DD`. */
const isoDate: Reader<string> = (value, name) => {
  if (typeof value !== 'string' || !isIsoDate(value)) throw new ConfigError(`${name} must be a date written YYYY-MM-DD, got '${shown(value)}'.`);
  return value;
};

/** A Redis URL (`redis://` or `rediss://`); its password is never echoed back. */
const redisUrl: Reader<string> = (value, name) => {
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '')
    throw new ConfigError(`${name} must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379, got '${typeof value === 'string' ? value.replace(/\/\/[^@/]*@/, '//…@') : shown(value)}'.`);
  return String(value);
};

/** A key prefix: safe in every Redis key the state backend builds. */
const keyPrefix: Reader<string> = (value, name) => {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._:{}-]{1,64}$/.test(value)) throw new ConfigError(`${name} must be 1 to 64 letters, digits, '.', '_', ':', '{', '}' or '-', got '${shown(value)}'.`);
  return value;
};

/** A signing key: long enough that an HMAC with it cannot be guessed. */
const secret: Reader<string> = (value, name) => {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{16,512}$/.test(value)) throw new ConfigError(`${name} must be 16 to 512 printable characters without spaces.`);
  return value;
};

/**
 * The API the recording proxy forwards to: an http(s) base URL as the SDKs take it
 * (`https://api.openai.com/v1`; an origin alone means its `/v1`), without credentials, query
 * or fragment, so nothing secret sits in the config and every forwarded path is under it.
 */
const upstreamUrl: Reader<string> = (value, name) => {
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {
    url = undefined;
  }
  const shownValue = typeof value === 'string' ? value.replace(/\/\/[^@/]*@/, '//…@') : shown(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    throw new ConfigError(`${name} must be an http(s) base URL such as https://api.openai.com/v1, without credentials, query or fragment, got '${shownValue}'.`);
  const base = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${base === '' ? '/v1' : base}`;
};

/** A percent from 0 to 100, with or without its sign (`80`, `80%`, `92.5`). */
const percent: Reader<number> = (value, name) => {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text);
  const share = match ? Number(match[1]) : NaN;
  if (!(share >= 0 && share <= 100)) throw new ConfigError(`${name} must be a percent from 0 to 100 (80 or 80%), got '${shown(value)}'.`);
  return share;
};

/**
 * Coverage report paths, comma-separated: each one's extension is its format (`.json`,
 * `.md`, `.junit.xml`); a path with no extension stands for all three beside each other.
 */
const reportPaths: Reader<string[]> = (value, name) => {
  const paths = keyList(value, name);
  if (paths.length === 0) throw new ConfigError(`${name} must name at least one file, got '${shown(value)}'.`);
  for (const file of paths)
    if (!/\.(json|md|junit\.xml)$/.test(file) && /\.[^./\\]*$/.test(file))
      throw new ConfigError(`${name} must end in .json, .md or .junit.xml (or have no extension, for all three), got '${file}'.`);
  return paths;
};

/** An option whose default is "unset" (null): a value, when one is given, goes through `read`. */
function optional<T>(read: Reader<T>): Reader<T | null> {
  return (value, name) => (value === null ? null : read(value, name));
}

const MIB = 1024 * 1024;

interface Option<K extends string, T> {
  /** The config field and the `startSandbox` option name. */
  readonly key: K;
  readonly env: string;
  readonly flag: string;
  readonly read: Reader<T>;
  readonly default: T;
  /** The default as people read it (`--help`, README), when its value alone says little. */
  readonly shownDefault?: string;
  /** One line for `--help` and the README table. */
  readonly help: string;
}

const option = <K extends string, T>(o: Option<K, T>) => o;

/** Every option: key, environment variable, flag, reader, default and what it means. */
export const OPTIONS = [
  option({ key: 'port', env: 'PORT', flag: 'port', read: integer(0, 65535), default: 4010, help: 'port to listen on (0: a free port)' }),
  option({ key: 'host', env: 'HOST', flag: 'host', read: text, default: '127.0.0.1', help: 'address to bind' }),
  option({ key: 'apiKeys', env: 'SANDBOX_API_KEYS', flag: 'api-keys', read: keyList, default: [] as string[], shownDefault: '(any)', help: 'comma-separated accepted API keys; empty accepts any Bearer key' }),
  option({ key: 'seed', env: 'SANDBOX_SEED', flag: 'seed', read: text, default: 'sandbox', help: 'seed of every generated image' }),
  option({ key: 'now', env: 'SANDBOX_NOW', flag: 'now', read: optional(integer(0, 253402300799)), default: null as number | null, shownDefault: '(real clock)', help: 'unix seconds that freeze `created` / `created_at`' }),
  option({ key: 'profile', env: 'SANDBOX_PROFILE', flag: 'profile', read: oneOf(PROFILE_NAMES), default: 'seed' as Profile, help: "`seed` (the seed contract) or `openai` (live behaviour where they differ)" }),
  option({ key: 'apiDate', env: 'SANDBOX_API_DATE', flag: 'api-date', read: isoDate, default: NEWEST_TABLE_DATE, help: 'the day the API is answered as (YYYY-MM-DD): which models exist under `openai`, dated features (e.g. transparent on gpt-image-2); default the newest date of the rules table, pinned per release' }),
  option({ key: 'defaultModel', env: 'SANDBOX_DEFAULT_MODEL', flag: 'default-model', read: text, default: 'dall-e-2', help: 'model used when a request names none' }),
  option({ key: 'latencyMs', env: 'SANDBOX_LATENCY_MS', flag: 'latency-ms', read: integer(0, 3_600_000), default: 0, help: 'delay added to every edit request' }),
  option({ key: 'maxLatencyMs', env: 'SANDBOX_MAX_LATENCY_MS', flag: 'max-latency-ms', read: integer(0, 3_600_000), default: 60_000, help: 'bound of any injected delay, and of the `timeout` scenario' }),
  option({ key: 'streamIntervalMs', env: 'SANDBOX_STREAM_INTERVAL_MS', flag: 'stream-interval-ms', read: integer(0, 60_000), default: 50, help: 'spacing of streamed events' }),
  option({ key: 'urlTtlSeconds', env: 'SANDBOX_URL_TTL_SECONDS', flag: 'url-ttl', read: integer(1, 7 * 24 * 3600), default: 3600, help: 'seconds a `data[].url` stays fetchable' }),
  option({ key: 'maxStoredFiles', env: 'SANDBOX_MAX_STORED_FILES', flag: 'max-stored-files', read: integer(1, 100000), default: 200, help: 'url files kept at once' }),
  option({ key: 'maxStoredBytes', env: 'SANDBOX_MAX_STORED_BYTES', flag: 'max-stored-bytes', read: integer(1, 16 * 1024 * MIB), default: 256 * MIB, shownDefault: '256 MiB', help: 'bytes of url files kept at once' }),
  option({ key: 'maxFiles', env: 'SANDBOX_MAX_FILES', flag: 'max-files', read: integer(1, 100000), default: 100, help: 'Files API objects (`POST /v1/files`) kept at once; beyond it the oldest is dropped' }),
  option({ key: 'maxFilesBytes', env: 'SANDBOX_MAX_FILES_BYTES', flag: 'max-files-bytes', read: integer(1, 16 * 1024 * MIB), default: 256 * MIB, shownDefault: '256 MiB', help: 'bytes of Files API objects kept at once; beyond it the oldest are dropped' }),
  option({ key: 'filesTtlSeconds', env: 'SANDBOX_FILES_TTL_SECONDS', flag: 'files-ttl', read: integer(60, 30 * 24 * 3600), default: 24 * 3600, help: 'lifetime of an uploaded file (its `expires_at`) unless its `expires_after` asks for less' }),
  option({ key: 'maxJsonBodyBytes', env: 'SANDBOX_MAX_JSON_BODY_BYTES', flag: 'max-json-body-bytes', read: integer(1024, 1024 * MIB), default: 32 * MIB, shownDefault: '32 MiB', help: 'largest `application/json` edit body (its `data:` URLs included)' }),
  option({ key: 'maxUploadBytes', env: 'SANDBOX_MAX_UPLOAD_BYTES', flag: 'max-upload-bytes', read: integer(1, 1024 * MIB), default: 50 * MIB, shownDefault: '50 MiB', help: 'largest file part accepted' }),
  option({ key: 'maxInputPixels', env: 'SANDBOX_MAX_INPUT_PIXELS', flag: 'max-input-pixels', read: integer(1, 1_000_000_000), default: 8192 * 8192, shownDefault: '8192²', help: 'largest image (width × height) decoded' }),
  option({ key: 'renderCacheBytes', env: 'SANDBOX_RENDER_CACHE_BYTES', flag: 'render-cache-bytes', read: integer(0, 16 * 1024 * MIB), default: 128 * MIB, shownDefault: '128 MiB', help: 'decoded inputs cached between requests; encoded images and PNG bands get a quarter of it each more (see Performance)' }),
  option({ key: 'journalSize', env: 'SANDBOX_JOURNAL_SIZE', flag: 'journal-size', read: integer(0, 100000), default: 200, help: 'requests kept in the journal (0: none)' }),
  option({ key: 'journalBytes', env: 'SANDBOX_JOURNAL_BYTES', flag: 'journal-bytes', read: integer(0, 16 * 1024 * MIB), default: 64 * MIB, shownDefault: '64 MiB', help: 'bytes of uploaded and output images the journal keeps' }),
  option({ key: 'namespaceFrom', env: 'SANDBOX_NAMESPACE_FROM', flag: 'namespace-from', read: oneOf(['header', 'api-key'] as const), default: 'header' as 'header' | 'api-key', help: "where a request's namespace comes from: the `x-sandbox-namespace` header only, or also the Bearer key (`api-key`: one namespace per key)" }),
  option({ key: 'maxNamespaces', env: 'SANDBOX_MAX_NAMESPACES', flag: 'max-namespaces', read: integer(1, 100_000), default: 1000, help: 'namespaces kept at once; past it the least recently active one is reset and forgotten' }),
  option({ key: 'namespaceIdleSeconds', env: 'SANDBOX_NAMESPACE_IDLE_SECONDS', flag: 'namespace-idle-seconds', read: integer(1, 30 * 24 * 3600), default: 3600, help: 'a namespace idle this long is reset and forgotten (never the default one)' }),
  option({ key: 'stateUrl', env: 'SANDBOX_STATE_URL', flag: 'state-url', read: optional(redisUrl), default: null as string | null, shownDefault: '(memory)', help: '`redis://…`: keep the journal, armed scenarios, url files and namespaces in Redis, shared by every replica using it (unset: in this process)' }),
  option({ key: 'statePrefix', env: 'SANDBOX_STATE_PREFIX', flag: 'state-prefix', read: keyPrefix, default: 'image-edits-sandbox', help: 'prefix of every Redis key, so several sandboxes (or test runs) can share one Redis' }),
  option({ key: 'stateTimeoutMs', env: 'SANDBOX_STATE_TIMEOUT_MS', flag: 'state-timeout-ms', read: integer(50, 60_000), default: 2_000, help: 'bound of one Redis command (and of waiting for a connection); past it the request gets the 503 `state_unavailable`' }),
  option({ key: 'urlSecret', env: 'SANDBOX_URL_SECRET', flag: 'url-secret', read: optional(secret), default: null as string | null, shownDefault: '(random per process)', help: 'key that signs every `data[].url` (HMAC with its expiry); required with SANDBOX_STATE_URL, the same on every replica' }),
  option({ key: 'publicUrl', env: 'SANDBOX_PUBLIC_URL', flag: 'public-url', read: optional(origin), default: null as string | null, shownDefault: '(request origin)', help: 'origin used in `data[].url`' }),
  option({ key: 'upstream', env: 'SANDBOX_UPSTREAM', flag: 'upstream', read: optional(upstreamUrl), default: null as string | null, shownDefault: '(none)', help: 'recording proxy: forward edits and Files calls to this API base URL (e.g. https://api.openai.com/v1) with the client\'s key, validating both sides against openapi.yaml (`x-sandbox-violations`)' }),
  option({ key: 'recordDir', env: 'SANDBOX_RECORD_DIR', flag: 'record', read: optional(text), default: null as string | null, shownDefault: '(none)', help: 'with SANDBOX_UPSTREAM: write every forwarded exchange to this cassette directory (created if missing; keys redacted, images as files)' }),
  option({ key: 'replayDir', env: 'SANDBOX_REPLAY_DIR', flag: 'replay', read: optional(text), default: null as string | null, shownDefault: '(none)', help: 'answer edits and Files calls from this cassette directory, matched by replay key, byte for byte as recorded' }),
  option({ key: 'replayMiss', env: 'SANDBOX_REPLAY_MISS', flag: 'replay-miss', read: oneOf(['error', 'generate'] as const), default: 'error' as 'error' | 'generate', help: 'with SANDBOX_REPLAY_DIR, a request the cassette has no exchange for: `error` (404 `replay_miss`) or `generate` (the sandbox answers it)' }),
  option({ key: 'logLevel', env: 'SANDBOX_LOG_LEVEL', flag: 'log-level', read: oneOf(['silent', 'info', 'debug'] as const), default: 'info' as LogLevel, help: '`silent`, `info` (one line per request: method, path, status (`-` when the connection closed before an answer), ms, request id) or `debug`' }),
  option({ key: 'adminToken', env: 'SANDBOX_ADMIN_TOKEN', flag: 'admin-token', read: optional(token), default: null as string | null, shownDefault: '(none)', help: 'require this Bearer token on `/__sandbox/*` (health and url files excepted)' }),
  option({ key: 'allowedHosts', env: 'SANDBOX_ALLOWED_HOSTS', flag: 'allowed-hosts', read: keyList, default: [] as string[], shownDefault: '(loopback names)', help: 'Host names answered besides loopback ones (guards a loopback sandbox against DNS rebinding); `*` answers any; when bound to 0.0.0.0 and empty, every Host is answered' }),
  option({ key: 'shutdownGraceMs', env: 'SANDBOX_SHUTDOWN_GRACE_MS', flag: 'shutdown-grace-ms', read: integer(0, 600_000), default: 10_000, help: 'how long SIGTERM/SIGINT wait for in-flight requests' }),
  option({ key: 'coverageReport', env: 'SANDBOX_COVERAGE_REPORT', flag: 'coverage-report', read: optional(reportPaths), default: null as string[] | null, shownDefault: '(none)', help: 'at shutdown, write the run\'s outcome coverage (every namespace) to these files, comma-separated, each in the format of its extension: `.json` (as GET /__sandbox/coverage answers), `.md` (a Markdown summary), `.junit.xml` (one testcase per outcome, never-received ones skipped); a path with no extension gets all three' }),
  option({ key: 'coverageThreshold', env: 'SANDBOX_COVERAGE_THRESHOLD', flag: 'coverage-threshold', read: optional(percent), default: null as number | null, shownDefault: '(none)', help: 'at shutdown, after writing any report, exit 3 when less than this percent of the outcomes were received (80 or 80%)' }),
  option({ key: 'requestTimeoutMs', env: 'SANDBOX_REQUEST_TIMEOUT_MS', flag: 'request-timeout-ms', read: integer(100, 3_600_000), default: 120_000, help: 'a request must arrive whole within this (slow clients get 408)' }),
] as const;

type AnyOption = (typeof OPTIONS)[number];

/** The config: one field per option, typed by its reader. */
export type SandboxConfig = { -readonly [O in AnyOption as O['key']]: ReturnType<O['read']> };

/** `startSandbox()` defaults: a free port and no request log. */
export const EMBEDDED_DEFAULTS: Partial<SandboxConfig> = { port: 0, logLevel: 'silent' };

/** The defaults, as a complete config. */
export function defaultConfig(): SandboxConfig {
  const config: Record<string, unknown> = {};
  for (const o of OPTIONS) config[o.key] = Array.isArray(o.default) ? [...o.default] : o.default;
  return config as SandboxConfig;
}

/** Cross-field rules that no single reader can check. */
function checkConfig(config: SandboxConfig, nameOf: (key: keyof SandboxConfig) => string): SandboxConfig {
  if (config.latencyMs > config.maxLatencyMs)
    throw new ConfigError(`${nameOf('latencyMs')} (${config.latencyMs}) must not exceed ${nameOf('maxLatencyMs')} (${config.maxLatencyMs}).`);
  // Replicas must accept each other's urls, so they cannot each invent a key.
  if (config.stateUrl !== null && config.urlSecret === null)
    throw new ConfigError(`${nameOf('urlSecret')} is required with ${nameOf('stateUrl')}: every replica signs and checks \`data[].url\`s with it, so all of them need the same one.`);
  if (config.recordDir !== null && config.upstream === null)
    throw new ConfigError(`${nameOf('recordDir')} needs ${nameOf('upstream')}: only forwarded exchanges are recorded.`);
  if (config.replayDir !== null && config.upstream !== null)
    throw new ConfigError(`${nameOf('replayDir')} and ${nameOf('upstream')} cannot be used together: answer from a cassette or from the upstream, not both.`);
  if (!findModelRules(config.defaultModel))
    throw new ConfigError(`${nameOf('defaultModel')} must be one of ${modelIds().join(', ')}, got '${config.defaultModel}'.`);
  return config;
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The `--help` line of an option. */
function helpLine(o: AnyOption): string {
  const fallback = o.shownDefault ?? (o.default === null ? undefined : Array.isArray(o.default) ? o.default.join(',') : String(o.default));
  return `${o.help.replace(/`/g, '')} (env ${o.env}${fallback === undefined || fallback.startsWith('(') ? '' : `, default ${fallback}`})`;
}

/** What the command line asks for: serve (no subcommand), or check a cassette for drift. */
export type CliCommand = { readonly name: 'serve' } | { readonly name: 'drift'; readonly dir: string; readonly json: boolean };

/**
 * Parses flags with commander: their raw text by option key, and the subcommand. The sandbox
 * options are the program's, so `drift DIR --profile openai` configures the sandbox it checks.
 * @throws ConfigExit after --help / --version.
 */
function readFlags(argv: readonly string[], version: string, writeOut: (s: string) => void): { flags: Map<string, string>; command: CliCommand } {
  let command: CliCommand = { name: 'serve' };
  const program = new Command('image-edits-sandbox')
    .description('A deterministic sandbox of the OpenAI image edits API (POST /v1/images/edits).')
    .version(version)
    .helpOption('-h, --help')
    .exitOverride()
    .configureOutput({ writeOut, writeErr: () => undefined })
    // Serving is what the program does without a subcommand.
    .action(() => undefined);
  for (const o of OPTIONS) program.option(`--${o.flag} <value>`, helpLine(o));
  program
    .command('drift')
    .description("replay a cassette's requests against this sandbox (in process) and report where its answers differ in shape from the recorded ones; exit 1 when any does, 0 when none, 2 on a bad cassette")
    .argument('<dir>', 'a cassette directory (as SANDBOX_RECORD_DIR wrote it)')
    .option('--json', 'print the report as JSON')
    .action((dir: string, options: { json?: boolean }) => {
      command = { name: 'drift', dir, json: options.json === true };
    });
  try {
    program.parse(argv as string[], { from: 'node' });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') throw new ConfigExit();
    throw new ConfigError(err instanceof Error ? err.message.replace(/^error: /, '') : String(err));
  }
  const flags = program.opts<Record<string, string>>();
  const found = new Map<string, string>();
  for (const o of OPTIONS) {
    const value = flags[camelCase(o.flag)];
    if (value !== undefined) found.set(o.key, value);
  }
  return { flags: found, command };
}

export interface ConfigSources {
  /** `process.argv` (flags), for `npm start`. */
  readonly argv?: readonly string[];
  /** `process.env`; unset or empty variables keep their defaults. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `startSandbox(options)`: typed values; they win over flags and env. */
  readonly options?: Readonly<Partial<SandboxConfig>>;
  /** Defaults that replace the table's (EMBEDDED_DEFAULTS for startSandbox). */
  readonly defaults?: Readonly<Partial<SandboxConfig>>;
  readonly version?: string;
  /** Where `--help` and `--version` print. */
  readonly writeOut?: (s: string) => void;
}

/**
 * The one way a config is built: defaults < env < flags < options, every value read by its
 * option's reader and named by where it came from, then the cross-field rules.
 * @throws ConfigError on a bad value, flag or option; ConfigExit after --help / --version.
 */
export function resolveConfig(sources: ConfigSources = {}): SandboxConfig {
  return resolveCommandLine(sources).config;
}

/** resolveConfig, and the subcommand the command line asks for (`serve` without argv). */
export function resolveCommandLine(sources: ConfigSources = {}): { config: SandboxConfig; command: CliCommand } {
  const { env = {}, options = {}, defaults = {}, version = '0.0.0', writeOut = (s: string) => process.stdout.write(s) } = sources;
  for (const key of Object.keys(options)) if (!OPTIONS.some((o) => o.key === key)) throw new ConfigError(`Unknown sandbox option '${key}'.`);
  const { flags, command } = sources.argv ? readFlags(sources.argv, version, writeOut) : { flags: new Map<string, string>(), command: { name: 'serve' } as const };
  const config = { ...defaultConfig(), ...defaults } as Record<string, unknown>;
  const names = new Map<string, string>();
  for (const o of OPTIONS) {
    const given = (options as Record<string, unknown>)[o.key];
    const envValue = env[o.env];
    let value: unknown;
    let name: string;
    if (given !== undefined) [value, name] = [given, o.key];
    else if (flags.has(o.key)) [value, name] = [flags.get(o.key), `--${o.flag}`];
    else if (envValue !== undefined && envValue !== '') [value, name] = [envValue, o.env];
    else continue;
    config[o.key] = (o.read as Reader<unknown>)(value, name);
    names.set(o.key, name);
  }
  const envName = (key: string) => OPTIONS.find((o) => o.key === key)?.env ?? key;
  return { config: checkConfig(config as SandboxConfig, (key) => names.get(key) ?? envName(key)), command };
}

/** The README's configuration table, written from OPTIONS (a test keeps the README in step). */
export function configTableMarkdown(): string {
  const rows = OPTIONS.map((o) => {
    const fallback = o.shownDefault ?? (Array.isArray(o.default) ? o.default.join(',') : String(o.default));
    return `| \`${o.env}\` | \`--${o.flag}\` | ${fallback} | ${o.help} |`;
  });
  return ['| env | flag | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

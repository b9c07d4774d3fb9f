/**
 * One typed config from environment variables and the same options as CLI flags. This is
 * the only module that reads `process.env` (through `main.ts`); `startSandbox(options)`
 * builds the same config from an options object.
 */
import { Command } from 'commander';

export type Profile = 'seed' | 'openai';
export type LogLevel = 'silent' | 'info' | 'debug';

export interface SandboxConfig {
  /** PORT, --port; default 4010 (0 picks a free port). */
  port: number;
  /** HOST, --host; default 127.0.0.1. */
  host: string;
  /** SANDBOX_API_KEYS, --api-keys; comma-separated accepted keys; empty accepts any Bearer key. */
  apiKeys: string[];
  /** SANDBOX_SEED, --seed; changes every generated image; default 'sandbox'. */
  seed: string;
  /** SANDBOX_NOW, --now; unix seconds that freeze `created`/`created_at`; default: the real clock. */
  now: number | null;
  /** SANDBOX_PROFILE, --profile; 'seed' (the seed contract, default) or 'openai' (live behaviour). */
  profile: Profile;
  /** SANDBOX_DEFAULT_MODEL, --default-model; the model used when a request names none; default dall-e-2. */
  defaultModel: string;
  /** SANDBOX_URL_TTL_SECONDS, --url-ttl; lifetime of `data[].url` files; default 3600 (as live). */
  urlTtlSeconds: number;
  /** SANDBOX_MAX_STORED_FILES, --max-stored-files; url files kept at once; default 200. */
  maxStoredFiles: number;
  /** SANDBOX_MAX_STORED_BYTES, --max-stored-bytes; bytes of url files kept at once; default 256 MiB. */
  maxStoredBytes: number;
  /** SANDBOX_MAX_UPLOAD_BYTES, --max-upload-bytes; largest file part accepted at all; default 50 MiB. */
  maxUploadBytes: number;
  /** SANDBOX_MAX_INPUT_PIXELS, --max-input-pixels; largest image (w*h) decoded; default 8192*8192. */
  maxInputPixels: number;
  /** SANDBOX_RENDER_CACHE_BYTES, --render-cache-bytes; bound of the decoded-input cache (the encoded-image and PNG-band caches get a quarter each); default 128 MiB. */
  renderCacheBytes: number;
  /** SANDBOX_LATENCY_MS, --latency-ms; delay added to every edit; default 0. */
  latencyMs: number;
  /** SANDBOX_MAX_LATENCY_MS, --max-latency-ms; upper bound of any injected delay; default 60000. */
  maxLatencyMs: number;
  /** SANDBOX_STREAM_INTERVAL_MS, --stream-interval-ms; spacing of streamed events; default 50. */
  streamIntervalMs: number;
  /** SANDBOX_JOURNAL_SIZE, --journal-size; requests kept in the journal; default 200. */
  journalSize: number;
  /** SANDBOX_PUBLIC_URL, --public-url; origin used in `data[].url`; default: the request's own origin. */
  publicUrl: string | null;
  /** SANDBOX_LOG_LEVEL, --log-level; silent | info | debug; default info. */
  logLevel: LogLevel;
  /** SANDBOX_JOURNAL_BYTES, --journal-bytes; bytes of uploads and outputs the journal keeps; default 64 MiB. */
  journalBytes: number;
  /** SANDBOX_ADMIN_TOKEN, --admin-token; when set, /__sandbox/* (health and url files excepted) needs `Authorization: Bearer <token>`; default none. */
  adminToken: string | null;
  /** SANDBOX_SHUTDOWN_GRACE_MS, --shutdown-grace-ms; how long SIGTERM/SIGINT wait for in-flight requests; default 10000. */
  shutdownGraceMs: number;
  /** SANDBOX_REQUEST_TIMEOUT_MS, --request-timeout-ms; longest a client may take to send one request (headers: at most 30 s of it); default 120000. */
  requestTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Parser<T> = (raw: string, name: string) => T;

function integer(min: number, max: number): Parser<number> {
  return (raw, name) => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max)
      throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'.`);
    return value;
  };
}

function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  return (raw, name) => {
    if (!(values as readonly string[]).includes(raw))
      throw new ConfigError(`${name} must be one of ${values.join(', ')}, got '${raw}'.`);
    return raw as T;
  };
}

const text: Parser<string> = (raw, name) => {
  if (raw.trim() === '') throw new ConfigError(`${name} must not be empty.`);
  return raw;
};

const keyList: Parser<string[]> = (raw) =>
  raw
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);

const origin: Parser<string | null> = (raw, name) => {
  try {
    const url = new URL(raw);
    return url.origin;
  } catch {
    throw new ConfigError(`${name} must be an absolute URL such as http://localhost:4010, got '${raw}'.`);
  }
};

/** A secret sent as a Bearer token: printable, no spaces. */
const token: Parser<string | null> = (raw, name) => {
  if (!/^[\x21-\x7e]{8,512}$/.test(raw)) throw new ConfigError(`${name} must be 8 to 512 printable characters without spaces.`);
  return raw;
};

const MIB = 1024 * 1024;

/** Every option: its key, environment variable, CLI flag, parser, default and help text. */
export const OPTIONS = [
  { key: 'port', env: 'PORT', flag: 'port', parse: integer(0, 65535), default: 4010, help: 'port to listen on (0: a free port)' },
  { key: 'host', env: 'HOST', flag: 'host', parse: text, default: '127.0.0.1', help: 'address to bind' },
  { key: 'apiKeys', env: 'SANDBOX_API_KEYS', flag: 'api-keys', parse: keyList, default: [] as string[], help: 'comma-separated accepted API keys (empty: any Bearer key)' },
  { key: 'seed', env: 'SANDBOX_SEED', flag: 'seed', parse: text, default: 'sandbox', help: 'seed of every generated image' },
  { key: 'now', env: 'SANDBOX_NOW', flag: 'now', parse: integer(0, 253402300799), default: null, help: 'freeze created/created_at at these unix seconds' },
  { key: 'profile', env: 'SANDBOX_PROFILE', flag: 'profile', parse: oneOf(['seed', 'openai'] as const), default: 'seed', help: "'seed' (the seed contract) or 'openai' (live behaviour where they differ)" },
  { key: 'defaultModel', env: 'SANDBOX_DEFAULT_MODEL', flag: 'default-model', parse: text, default: 'dall-e-2', help: 'model used when a request names none' },
  { key: 'urlTtlSeconds', env: 'SANDBOX_URL_TTL_SECONDS', flag: 'url-ttl', parse: integer(1, 7 * 24 * 3600), default: 3600, help: 'seconds a data[].url stays fetchable' },
  { key: 'maxStoredFiles', env: 'SANDBOX_MAX_STORED_FILES', flag: 'max-stored-files', parse: integer(1, 100000), default: 200, help: 'url files kept at once' },
  { key: 'maxStoredBytes', env: 'SANDBOX_MAX_STORED_BYTES', flag: 'max-stored-bytes', parse: integer(1, 16 * 1024 * MIB), default: 256 * MIB, help: 'bytes of url files kept at once' },
  { key: 'maxUploadBytes', env: 'SANDBOX_MAX_UPLOAD_BYTES', flag: 'max-upload-bytes', parse: integer(1, 1024 * MIB), default: 50 * MIB, help: 'largest file part accepted' },
  { key: 'maxInputPixels', env: 'SANDBOX_MAX_INPUT_PIXELS', flag: 'max-input-pixels', parse: integer(1, 1_000_000_000), default: 8192 * 8192, help: 'largest image (width*height) decoded' },
  { key: 'renderCacheBytes', env: 'SANDBOX_RENDER_CACHE_BYTES', flag: 'render-cache-bytes', parse: integer(0, 16 * 1024 * MIB), default: 128 * MIB, help: 'bytes of decoded inputs cached between requests (encoded images and PNG bands: a quarter each more)' },
  { key: 'latencyMs', env: 'SANDBOX_LATENCY_MS', flag: 'latency-ms', parse: integer(0, 3_600_000), default: 0, help: 'delay added to every edit request' },
  { key: 'maxLatencyMs', env: 'SANDBOX_MAX_LATENCY_MS', flag: 'max-latency-ms', parse: integer(0, 3_600_000), default: 60_000, help: 'upper bound of any injected delay' },
  { key: 'streamIntervalMs', env: 'SANDBOX_STREAM_INTERVAL_MS', flag: 'stream-interval-ms', parse: integer(0, 60_000), default: 50, help: 'spacing of streamed events' },
  { key: 'journalSize', env: 'SANDBOX_JOURNAL_SIZE', flag: 'journal-size', parse: integer(0, 100000), default: 200, help: 'requests kept in the journal' },
  { key: 'publicUrl', env: 'SANDBOX_PUBLIC_URL', flag: 'public-url', parse: origin, default: null, help: "origin used in data[].url (default: the request's own)" },
  { key: 'logLevel', env: 'SANDBOX_LOG_LEVEL', flag: 'log-level', parse: oneOf(['silent', 'info', 'debug'] as const), default: 'info', help: 'silent | info | debug' },
  { key: 'journalBytes', env: 'SANDBOX_JOURNAL_BYTES', flag: 'journal-bytes', parse: integer(0, 16 * 1024 * MIB), default: 64 * MIB, help: 'bytes of uploaded and output images the journal keeps' },
  { key: 'adminToken', env: 'SANDBOX_ADMIN_TOKEN', flag: 'admin-token', parse: token, default: null, help: 'require this Bearer token on /__sandbox/* (health and url files excepted)' },
  { key: 'shutdownGraceMs', env: 'SANDBOX_SHUTDOWN_GRACE_MS', flag: 'shutdown-grace-ms', parse: integer(0, 600_000), default: 10_000, help: 'how long SIGTERM/SIGINT wait for in-flight requests' },
  { key: 'requestTimeoutMs', env: 'SANDBOX_REQUEST_TIMEOUT_MS', flag: 'request-timeout-ms', parse: integer(100, 3_600_000), default: 120_000, help: 'longest a client may take to send one request (slow clients get 408)' },
] as const;

type OptionKey = (typeof OPTIONS)[number]['key'];
// Keep the table and the interface in step: every key of one is a key of the other.
type AssertSameKeys = [OptionKey] extends [keyof SandboxConfig] ? ([keyof SandboxConfig] extends [OptionKey] ? true : never) : never;
const _sameKeys: AssertSameKeys = true;
void _sameKeys;

/** The defaults, as a complete config. */
export function defaultConfig(): SandboxConfig {
  const config: Record<string, unknown> = {};
  for (const option of OPTIONS) config[option.key] = Array.isArray(option.default) ? [...option.default] : option.default;
  return config as unknown as SandboxConfig;
}

/** Raw string values (from env or flags) by option key -> a validated config. */
export function configFromStrings(raw: Partial<Record<OptionKey, string>>, nameOf: (option: (typeof OPTIONS)[number]) => string): SandboxConfig {
  const config = defaultConfig() as unknown as Record<string, unknown>;
  for (const option of OPTIONS) {
    const value = raw[option.key];
    if (value === undefined) continue;
    config[option.key] = (option.parse as Parser<unknown>)(value, nameOf(option));
  }
  return checkConfig(config as unknown as SandboxConfig);
}

/** Environment variables -> config. Unset or empty variables keep their defaults. */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv): SandboxConfig {
  const raw: Partial<Record<OptionKey, string>> = {};
  for (const option of OPTIONS) {
    const value = env[option.env];
    if (value !== undefined && value !== '') raw[option.key] = value;
  }
  return configFromStrings(raw, (option) => option.env);
}

/** Cross-field rules that no single parser can check. */
export function checkConfig(config: SandboxConfig): SandboxConfig {
  if (config.latencyMs > config.maxLatencyMs)
    throw new ConfigError(`SANDBOX_LATENCY_MS (${config.latencyMs}) must not exceed SANDBOX_MAX_LATENCY_MS (${config.maxLatencyMs}).`);
  return config;
}

/** `--help` and `--version` were answered: the caller exits 0. */
export class ConfigExit extends Error {
  constructor() {
    super('help or version printed');
    this.name = 'ConfigExit';
  }
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * CLI flags and environment variables -> config (flags win). Both go through the same
 * parsers, so a bad value names the flag or the variable it came from.
 * @throws ConfigError on a bad value or flag, ConfigExit after --help / --version.
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv, version: string, writeOut: (s: string) => void = (s) => process.stdout.write(s)): SandboxConfig {
  const program = new Command('image-edits-sandbox')
    .description('A deterministic sandbox of the OpenAI image edits API (POST /v1/images/edits).')
    .version(version)
    .helpOption('-h, --help')
    .exitOverride()
    .configureOutput({ writeOut, writeErr: () => undefined });
  for (const option of OPTIONS) {
    const shown = Array.isArray(option.default) ? option.default.join(',') : option.default;
    program.option(`--${option.flag} <value>`, `${option.help} (env ${option.env}${shown === null || shown === '' ? '' : `, default ${String(shown)}`})`);
  }
  try {
    program.parse(argv as string[], { from: 'node' });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') throw new ConfigExit();
    throw new ConfigError(err instanceof Error ? err.message.replace(/^error: /, '') : String(err));
  }
  const flags = program.opts<Record<string, string>>();
  const raw: Partial<Record<OptionKey, string>> = {};
  const fromFlag = new Set<OptionKey>();
  for (const option of OPTIONS) {
    const flagValue = flags[camelCase(option.flag)];
    const envValue = env[option.env];
    if (flagValue !== undefined) {
      raw[option.key] = flagValue;
      fromFlag.add(option.key);
    } else if (envValue !== undefined && envValue !== '') raw[option.key] = envValue;
  }
  return configFromStrings(raw, (option) => (fromFlag.has(option.key) ? `--${option.flag}` : option.env));
}

/** The package's public API: start an embedded sandbox. */
export { startSandbox, type SandboxHandle, type SandboxOptions } from './start-sandbox';
export { ConfigError, type SandboxConfig, type Profile, type LogLevel } from './config';

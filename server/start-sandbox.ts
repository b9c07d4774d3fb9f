/**
 * startSandbox(options) -> { url, port, namespace(name), reset, close, … }: a whole sandbox on
 * its own port, sharing nothing with another one in the same process (MSW's setupServer
 * lifecycle), with a handle per namespace for the tests that share it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { checkCoverageReportPaths, closingCoverage, type ClosingCoverage } from './coverage/closing-coverage';
import { answerClientError } from './errors/client-error';
import { EMBEDDED_DEFAULTS, resolveConfig, type SandboxConfig } from './config';
import { sharedContract } from './contract/spec';
import { compileValidators } from './edits/validate';
import { createRenderCaches, type RenderCaches } from './images/render-caches';
import { createLogger, type Logger } from './logger';
import { namespaceHandle, type NamespaceHandle } from './controls/namespace-handle';
import { createStores, type Stores } from './stores/create-stores';
import { checkNamespace, namespaceForApiKey } from './stores/namespace';
import { DEFAULT_NAMESPACE } from './stores/state';

/** Any config field (typed); embedded sandboxes default to a free port and no request log. */
export type SandboxOptions = Partial<SandboxConfig>;

export interface SandboxHandle {
  /** `http://host:port`, ready for `new OpenAI({ baseURL: url + '/v1' })`. */
  readonly url: string;
  readonly port: number;
  readonly config: SandboxConfig;
  readonly stores: Stores;
  /** The render caches (pure; emptied by reset()). */
  readonly caches: RenderCaches;
  readonly server: http.Server;
  /**
   * One namespace's journal, armed scenarios, settings and verification (the default
   * namespace when no name is given): what `x-sandbox-namespace: <name>` requests use.
   */
  namespace(name?: string): NamespaceHandle;
  /** The namespace of a Bearer key (SANDBOX_NAMESPACE_FROM=api-key). */
  namespaceForApiKey(key: string): NamespaceHandle;
  /** Every namespace back to its start state, and the render caches emptied. */
  reset(): Promise<void>;
  /**
   * Stops accepting, lets in-flight requests finish within `graceMs`, then closes every socket.
   * With `coverageReport` or `coverageThreshold` set it then takes the run's outcome coverage,
   * writes the report files and says whether the threshold was missed; it rejects when the
   * report cannot be read or written.
   */
  close(options?: { graceMs?: number }): Promise<ClosingCoverage>;
}

/** SANDBOX_RENDER_CACHE_BYTES bounds the decoded inputs; encoded images and PNG bands get a quarter each. */
export function renderCachesFor(config: SandboxConfig): RenderCaches {
  return createRenderCaches(Math.floor(config.renderCacheBytes / 4), config.renderCacheBytes);
}

/** Starts a sandbox from a complete config (what `npm start` and `startSandbox` share). */
export async function listen(config: SandboxConfig, logger: Logger = createLogger(config.logLevel)): Promise<SandboxHandle> {
  checkCoverageReportPaths(config.coverageReport);
  const stores = createStores(config, (line, level) => (level === 'error' ? logger.error(line) : logger.info(line)));
  // Redis is given a moment to connect, so a sandbox that says "listening" can serve at once;
  // without it the sandbox still starts (alive, not ready) and serves once Redis is back.
  await stores.state.ready().catch((err: unknown) => logger.error(`state backend not ready at start: ${err instanceof Error ? err.message : String(err)}`));
  const caches = renderCachesFor(config);
  const contract = sharedContract();
  const app = createApp({ config, contract, stores, caches, logger });
  // Slow or idle clients are bounded: no request may hold a socket forever. Node checks the
  // bounds every connectionsCheckingInterval, so a short timeout gets a matching check rate.
  const server = http.createServer(
    {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(30_000, config.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.requestTimeoutMs / 4))),
      // Node would answer a missing Host with a bare 400; the app answers it with the envelope.
      requireHostHeader: false,
    },
    app,
  );
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Ready first, then what the first edit would otherwise wait for: the request validators.
  setImmediate(() => compileValidators(contract));
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<ClosingCoverage> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    config: { ...config, port },
    stores,
    caches,
    server,
    namespace: (name = DEFAULT_NAMESPACE) => namespaceHandle(stores.state, checkNamespace(name, { argument: 'namespace' })),
    namespaceForApiKey: (key) => namespaceHandle(stores.state, namespaceForApiKey(key)),
    reset: async () => {
      await stores.state.resetAll();
      caches.clear();
    },
    close: ({ graceMs = 2_000 } = {}) => {
      closing ??= new Promise<ClosingCoverage>((resolve, reject) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        // A keep-alive socket goes idle once its in-flight answer is sent: close it then, not at keepAliveTimeout.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        sweep.unref();
        server.close(() => {
          clearTimeout(timer);
          clearInterval(sweep);
          // Coverage once the last request has ended; the state backend last: in-flight requests may still have been recording into it.
          const closeState = () => stores.state.close().catch(() => undefined);
          closingCoverage(config, contract, stores.state.coverage).then(
            (result) => closeState().then(() => resolve(result)),
            (err: unknown) => closeState().then(() => reject(err)),
          );
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  return listen(resolveConfig({ options, defaults: EMBEDDED_DEFAULTS }));
}

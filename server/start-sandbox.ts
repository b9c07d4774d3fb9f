/**
 * startSandbox(options) -> { url, port, close, reset, journal, scenarios, stores }: a whole sandbox on its own
 * port, sharing nothing with another one in the same process (MSW's setupServer lifecycle).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { answerClientError } from './errors/client-error';
import { EMBEDDED_DEFAULTS, resolveConfig, type SandboxConfig } from './config';
import { sharedContract } from './contract/spec';
import { createRenderCaches, type RenderCaches } from './images/render-caches';
import { createLogger, type Logger } from './logger';
import { createStores, type Stores } from './stores/create-stores';
import type { JournalStore } from './stores/journal-store';
import type { ScenarioStore } from './stores/scenario-store';

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
  /** The request journal (also `GET /__sandbox/requests`). */
  readonly journal: JournalStore;
  /** Armed failure scenarios (also `/__sandbox/scenarios`). */
  readonly scenarios: ScenarioStore;
  readonly server: http.Server;
  /** Stores back to their start state. */
  reset(): void;
  /** Stops accepting, lets in-flight requests finish within `graceMs`, then closes every socket. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** SANDBOX_RENDER_CACHE_BYTES bounds the decoded inputs; encoded images and PNG bands get a quarter each. */
export function renderCachesFor(config: SandboxConfig): RenderCaches {
  return createRenderCaches(Math.floor(config.renderCacheBytes / 4), config.renderCacheBytes);
}

/** Starts a sandbox from a complete config (what `npm start` and `startSandbox` share). */
export async function listen(config: SandboxConfig, logger: Logger = createLogger(config.logLevel)): Promise<SandboxHandle> {
  const stores = createStores(config);
  const caches = renderCachesFor(config);
  const app = createApp({ config, contract: sharedContract(), stores, caches, logger });
  // Slow or idle clients are bounded: no request may hold a socket forever. Node checks the
  // bounds every connectionsCheckingInterval, so a short timeout gets a matching check rate.
  const server = http.createServer(
    {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(30_000, config.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.requestTimeoutMs / 4))),
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
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    config: { ...config, port },
    stores,
    caches,
    journal: stores.journal,
    scenarios: stores.scenarios,
    server,
    reset: () => {
      stores.reset();
      caches.clear();
    },
    close: ({ graceMs = 2_000 } = {}) => {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        // A keep-alive socket goes idle once its in-flight answer is sent: close it then, not at keepAliveTimeout.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        sweep.unref();
        server.close(() => {
          clearTimeout(timer);
          clearInterval(sweep);
          resolve();
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

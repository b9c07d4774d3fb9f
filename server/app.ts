/**
 * createApp: the one place where middleware order and routers are wired. No module-level
 * state: everything an app remembers lives in the stores it is given.
 */
import express, { type Express } from 'express';
import type { SandboxConfig } from './config';
import type { Contract } from './contract/spec';
import { controlsRouter } from './controls/router';
import { contractOutcomes } from './coverage/outcomes';
import { outcomeRecorder } from './coverage/record-outcome';
import type { RenderCaches } from './images/render-caches';
import { editsRouter } from './edits/route';
import { filesApiRouter } from './files/router';
import { requireHostHeader } from './guards/host-header';
import { assignRequestId } from './http/request-id';
import { errorMiddleware, notFound } from './errors/error-middleware';
import { requireAllowedHost } from './guards/allowed-hosts';
import type { Logger } from './logger';
import { PROFILES } from './models/profiles';
import { answerSourceFor } from './proxy/answer-sources';
import type { Stores } from './stores/create-stores';

export interface AppDeps {
  readonly config: SandboxConfig;
  readonly contract: Contract;
  readonly stores: Stores;
  /** Pure render caches (not state): shared by every request of this sandbox. */
  readonly caches: RenderCaches;
  readonly logger: Logger;
}

/** @throws CassetteError when SANDBOX_RECORD_DIR or SANDBOX_REPLAY_DIR cannot be used. */
export function createApp(appDeps: AppDeps): Express {
  const { config, contract, stores, logger } = appDeps;
  const outcomes = outcomeRecorder(contractOutcomes(config, contract), stores.state.coverage, (err) => logger.error('could not count an outcome', err));
  const deps = { ...appDeps, outcomes };
  // The upstream or the cassette that answers edits and Files calls instead, when configured.
  const answerSource = answerSourceFor(deps);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(assignRequestId);
  app.use(deps.logger.requestLogger);
  app.use(requireHostHeader);
  app.use(requireAllowedHost(deps.config));
  app.use(controlsRouter(deps));
  app.use(editsRouter({ ...deps, answerSource }));
  app.use(filesApiRouter({ ...deps, answerSource }));
  app.use(notFound(PROFILES[config.profile].unknownUrlAnswer));
  app.use(errorMiddleware((err, requestId) => logger.error(`unexpected error in ${requestId ?? 'a request'}`, err), outcomes.recordError));
  return app;
}

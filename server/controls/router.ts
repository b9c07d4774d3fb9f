/**
 * /__sandbox/*: everything that is not the live API, one router per control, same error
 * envelope as /v1. The probes (health, ready) and the `data[].url` files come before the
 * admin-token guard: probes and clients reach them without the token.
 */
import { Router } from 'express';
import type { SandboxConfig } from '../config';
import type { Contract } from '../contract/spec';
import type { RenderCaches } from '../images/render-caches';
import type { Stores } from '../stores/create-stores';
import { refuseCrossSiteChanges } from '../guards/same-origin-controls';
import { refuseUnknownSandboxHeaders } from '../guards/sandbox-headers';
import { requireAdminToken } from './admin-token';
import { coverageRouter } from './coverage';
import { dashboardRouter } from './dashboard';
import { filesRouter } from './files';
import { healthRouter } from './health';
import { readControlNamespace } from './control-namespace';
import { journalRouter } from './journal';
import { namespacesRouter } from './namespaces';
import { resetRouter } from './reset';
import { scenariosRouter } from './scenarios';
import { specFileRouter } from './spec-file';

export interface ControlsDeps {
  readonly config: SandboxConfig;
  readonly contract: Contract;
  readonly stores: Stores;
  readonly caches: RenderCaches;
}

export function controlsRouter(deps: ControlsDeps): Router {
  const { config, contract, stores, caches } = deps;
  // A plain Router (no routes of its own): OPTIONS must still pass its guards before it leaves the route tables.
  const router = Router();
  router.use(healthRouter(stores));
  router.use(filesRouter(stores));
  router.use(dashboardRouter(contract));
  router.use('/__sandbox', refuseCrossSiteChanges, requireAdminToken(config.adminToken), refuseUnknownSandboxHeaders, readControlNamespace);
  router.use(scenariosRouter(stores, contract));
  router.use(journalRouter(stores, contract));
  router.use(namespacesRouter(stores, contract, config.maxLatencyMs));
  router.use(coverageRouter(config, contract, stores));
  router.use(resetRouter(stores, caches));
  router.use(specFileRouter(contract));
  return router;
}

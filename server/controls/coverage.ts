/**
 * GET /__sandbox/coverage: which outcomes of the contract the namespace's clients (or, with
 * `*`, every namespace's since the start) have received, with counts. @see ../coverage/
 */
import { type Router } from 'express';
import { routeTable } from '../http/route-table';
import type { SandboxConfig } from '../config';
import type { Contract } from '../contract/spec';
import { namespaceReport } from '../coverage/coverage-report';
import type { Stores } from '../stores/create-stores';
import { readNamespace } from './control-namespace';

export function coverageRouter(config: SandboxConfig, contract: Contract, stores: Stores): Router {
  const router = routeTable();
  router.get('/__sandbox/coverage', async (_req, res) => {
    res.json(await namespaceReport(config, contract, stores.state.coverage, readNamespace(res)));
  });
  return router;
}

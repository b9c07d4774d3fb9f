/**
 * GET /__sandbox/coverage: which outcomes of the contract the namespace's clients (or, with
 * `*`, every namespace's since the start) have received, with counts. @see ../coverage/
 */
import { Router } from 'express';
import type { SandboxConfig } from '../config';
import type { Contract } from '../contract/spec';
import { coverageReport } from '../coverage/coverage-report';
import { contractOutcomes } from '../coverage/outcomes';
import type { Stores } from '../stores/create-stores';
import { readNamespace } from './control-namespace';

export function coverageRouter(config: SandboxConfig, contract: Contract, stores: Stores): Router {
  const router = Router();
  router.get('/__sandbox/coverage', async (_req, res) => {
    const namespace = readNamespace(res);
    const counts = await stores.state.coverage.counts(namespace);
    res.json(coverageReport(contractOutcomes(config, contract), counts, { namespace, profile: config.profile, apiDate: config.apiDate }));
  });
  return router;
}

/**
 * The two probes, never behind the admin token. GET /__sandbox/health is liveness: 200 while
 * the process runs, whatever its state backend does. GET /__sandbox/ready is readiness: 200
 * when the state backend can serve, else the 503 `state_unavailable` envelope, so a load
 * balancer stops sending edits to a replica that would only answer 503.
 */
import { type Router } from 'express';
import { routeTable } from '../http/route-table';
import type { Stores } from '../stores/create-stores';
import { SANDBOX_VERSION } from '../version';

export function healthRouter(stores: Stores): Router {
  const router = routeTable();
  router.get('/__sandbox/health', (_req, res) => {
    res.json({ status: 'ok', version: SANDBOX_VERSION });
  });
  router.get('/__sandbox/ready', async (_req, res) => {
    await stores.state.ready();
    res.json({ status: 'ready', backend: stores.state.backend });
  });
  return router;
}

/** GET /__sandbox/openapi.yaml: the contract this sandbox validates with, byte for byte. */
import { type Router } from 'express';
import { routeTable } from '../http/route-table';
import type { Contract } from '../contract/spec';

export function specFileRouter(contract: Contract): Router {
  const router = routeTable();
  const bytes = Buffer.from(contract.text, 'utf8');
  router.get('/__sandbox/openapi.yaml', (_req, res) => {
    res.setHeader('content-type', 'application/yaml; charset=utf-8');
    res.setHeader('x-content-type-options', 'nosniff');
    res.end(bytes);
  });
  return router;
}

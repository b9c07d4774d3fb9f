/**
 * POST /__sandbox/reset: one namespace back to its start state (journal, armed scenarios, url
 * files, settings); `namespace=*` resets them all and empties the render caches too.
 */
import { type Router } from 'express';
import { routeTable } from '../http/route-table';
import type { RenderCaches } from '../images/render-caches';
import type { Stores } from '../stores/create-stores';
import { ALL_NAMESPACES, readNamespace } from './control-namespace';

export function resetRouter(stores: Stores, caches: RenderCaches): Router {
  const router = routeTable();
  router.post('/__sandbox/reset', async (_req, res) => {
    const namespace = readNamespace(res);
    if (namespace === ALL_NAMESPACES) {
      await stores.state.resetAll();
      caches.clear();
    } else await stores.state.reset(namespace);
    res.json({ reset: true });
  });
  return router;
}

/** POST /__sandbox/reset: every store back to its start state (journal, armed scenarios, url files), and the render caches emptied. */
import { Router } from 'express';
import type { RenderCaches } from '../images/render-caches';
import type { Stores } from '../stores/create-stores';

export function resetRouter(stores: Stores, caches: RenderCaches): Router {
  const router = Router();
  router.post('/__sandbox/reset', (_req, res) => {
    stores.reset();
    caches.clear();
    res.json({ reset: true });
  });
  return router;
}

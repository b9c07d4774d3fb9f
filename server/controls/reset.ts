/** POST /__sandbox/reset: every store back to its start state (journal, armed scenarios, url files, caches). */
import { Router } from 'express';
import type { Stores } from '../stores/create-stores';

export function resetRouter(stores: Stores): Router {
  const router = Router();
  router.post('/__sandbox/reset', (_req, res) => {
    stores.reset();
    res.json({ reset: true });
  });
  return router;
}

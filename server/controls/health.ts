/** GET /__sandbox/health: readiness, never behind the admin token. */
import { Router } from 'express';
import { SANDBOX_VERSION } from '../version';

export function healthRouter(): Router {
  const router = Router();
  router.get('/__sandbox/health', (_req, res) => {
    res.json({ status: 'ok', version: SANDBOX_VERSION });
  });
  return router;
}

/**
 * The Router every route table of the sandbox starts from. Express answers an OPTIONS request
 * that reaches the end of a router whose routes match its path with its own `200 Allow: …`
 * text, and no setting turns that off (expressjs/express#2246). The sandbox routes no OPTIONS
 * and grants no CORS, so OPTIONS leaves each route table at once and ends, after the same
 * guards, where every other unrouted method does: the profile's unknown-URL answer.
 */
import { Router } from 'express';

export function routeTable(): Router {
  const router = Router();
  // Leaving before any route is matched leaves Express no methods to list.
  router.use((req, _res, next) => next(req.method === 'OPTIONS' ? 'router' : undefined));
  return router;
}

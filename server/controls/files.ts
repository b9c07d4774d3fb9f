/** GET /__sandbox/files/:name: the `data[].url` results, until they expire. Clients fetch these, so no admin token. */
import { Router } from 'express';
import { errors } from '../errors/catalogue';
import type { Stores } from '../stores/create-stores';

export function filesRouter(stores: Stores): Router {
  const router = Router();
  router.get('/__sandbox/files/:name', async (req, res) => {
    const name = String(req.params.name);
    const file = await stores.state.urlFiles.get(name);
    if (!file) throw errors.fileNotFound(name);
    res.setHeader('content-type', file.contentType);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', `private, max-age=${Math.max(0, Math.floor((file.expiresAt - Date.now()) / 1000))}`);
    res.end(file.bytes);
  });
  return router;
}

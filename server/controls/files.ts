/**
 * GET /__sandbox/files/:name?expires=…&signature=…: the `data[].url` results, until they
 * expire. Clients fetch these, so no admin token; the signature (http/signed-url.ts) is
 * checked before any state is read, so a changed or expired url is refused on every replica.
 */
import { type Router } from 'express';
import { routeTable } from '../http/route-table';
import { errors } from '../errors/catalogue';
import type { Stores } from '../stores/create-stores';

/** The names put() hands out; anything else is not a file, and touches no state. */
const FILE_NAME = /^img-[A-Za-z0-9_-]{24}\.(png|jpeg|webp)$/;

export function filesRouter(stores: Stores): Router {
  const router = routeTable();
  router.get('/__sandbox/files/:name', async (req, res) => {
    const name = String(req.params.name);
    if (!FILE_NAME.test(name)) throw errors.fileNotFound(name);
    const signature = stores.urlSigner.check(name, req.query.expires, req.query.signature);
    if (signature === 'invalid') throw errors.invalidUrlSignature(name);
    const file = signature === 'valid' ? await stores.state.urlFiles.get(name) : undefined;
    if (!file) throw errors.fileNotFound(name);
    res.setHeader('content-type', file.contentType);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', `private, max-age=${Math.max(0, Math.floor((file.expiresAt - Date.now()) / 1000))}`);
    res.end(file.bytes);
  });
  return router;
}

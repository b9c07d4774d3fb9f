/**
 * /__sandbox/*: everything that is not the live API. Same error envelope as /v1.
 */
import { Router } from 'express';
import type { SandboxConfig } from '../config';
import type { Contract } from '../contract/spec';
import { errors } from '../errors/catalogue';
import type { Stores } from '../stores/create-stores';
import { SANDBOX_VERSION } from '../version';

export interface ControlsDeps {
  readonly config: SandboxConfig;
  readonly contract: Contract;
  readonly stores: Stores;
}

export function controlsRouter(deps: ControlsDeps): Router {
  const { stores } = deps;
  const router = Router();

  router.get('/__sandbox/health', (_req, res) => {
    res.json({ status: 'ok', version: SANDBOX_VERSION });
  });

  router.get('/__sandbox/files/:name', (req, res) => {
    const name = String(req.params.name);
    const file = stores.files.get(name);
    if (!file) throw errors.fileNotFound(name);
    res.setHeader('content-type', file.contentType);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', `private, max-age=${Math.max(0, Math.floor((file.expiresAt - Date.now()) / 1000))}`);
    res.end(file.bytes);
  });

  return router;
}

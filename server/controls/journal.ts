/**
 * /__sandbox/requests: the recorded edit requests (newest last, filtered by query), one by
 * id, the bytes it kept (uploads, mask, outputs), and clearing.
 */
import { Router, type Request, type Response } from 'express';
import { errors } from '../errors/catalogue';
import type { JournalBlobKind, JournalFilter } from '../stores/journal-store';
import type { Stores } from '../stores/create-stores';

function single(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw errors.invalidControlValue(name, 'expected a single value');
  return value;
}

/** `?model=&status=&limit=` -> a filter; malformed values are 400s, not silently ignored. */
export function journalFilter(req: Request): JournalFilter {
  const filter: { model?: string; status?: NonNullable<JournalFilter['status']>; limit?: number } = {};
  const model = single(req, 'model');
  if (model !== undefined) filter.model = model;
  const status = single(req, 'status');
  if (status !== undefined) {
    if (/^[1-5][0-9][0-9]$/.test(status)) filter.status = Number(status);
    else if (/^[1-5]xx$/.test(status)) filter.status = status as `${1 | 2 | 3 | 4 | 5}xx`;
    else throw errors.invalidControlValue('status', `expected a status such as 429 or a class such as 4xx, but got '${status}'`);
  }
  const limit = single(req, 'limit');
  if (limit !== undefined) {
    if (!/^[1-9][0-9]{0,5}$/.test(limit)) throw errors.invalidControlValue('limit', `expected an integer from 1 to 999999, but got '${limit}'`);
    filter.limit = Number(limit);
  }
  return filter;
}

export function journalRouter(stores: Stores): Router {
  const router = Router();
  router.get('/__sandbox/requests', (req, res) => {
    res.json({ data: stores.journal.list(journalFilter(req)) });
  });
  router.delete('/__sandbox/requests', (_req, res) => {
    const deleted = stores.journal.size;
    stores.journal.clear();
    res.json({ deleted });
  });
  router.get('/__sandbox/requests/:id', (req, res) => {
    const entry = stores.journal.get(String(req.params.id));
    if (!entry) throw errors.journalEntryNotFound(String(req.params.id));
    res.json(entry);
  });

  const serveBlob = (kind: JournalBlobKind, what: string) => (req: Request, res: Response) => {
    const id = String(req.params.id);
    const index = kind === 'mask' ? 0 : Number(req.params.index);
    const blob = Number.isInteger(index) ? stores.journal.blob(id, kind, index) : undefined;
    if (!blob) throw errors.journalFileNotFound(id, what);
    res.setHeader('content-type', blob.contentType);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-store');
    res.end(blob.bytes);
  };
  router.get('/__sandbox/requests/:id/files/:index', serveBlob('files', 'upload'));
  router.get('/__sandbox/requests/:id/mask', serveBlob('mask', 'mask'));
  router.get('/__sandbox/requests/:id/outputs/:index', serveBlob('outputs', 'output'));
  return router;
}

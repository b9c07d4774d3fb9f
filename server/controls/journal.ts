/**
 * /__sandbox/requests: the recorded edit requests of a namespace (newest last, filtered by
 * query, or only what changed `since` a revision), one by id, the bytes it kept (uploads,
 * mask, outputs, streamed partials), verification against an expectation, and clearing.
 */
import type { Router, Request, Response } from 'express';
import { routeTable } from '../http/route-table';
import type { Contract } from '../contract/spec';
import { errors } from '../errors/catalogue';
import type { Stores } from '../stores/create-stores';
import type { JournalBlobKind, JournalFilter } from '../stores/journal-record';
import { checkControlBody, readControlJson } from './control-body';
import { idNamespace, oneNamespace, readNamespace } from './control-namespace';
import { verifyJournal } from './verification';

function single(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw errors.invalidControlValue(name, 'expected a single value');
  return value;
}

type Status = NonNullable<JournalFilter['status']>;

function readStatus(value: string | number): Status {
  if (typeof value === 'number' || /^[1-5][0-9][0-9]$/.test(value)) return Number(value);
  if (/^[1-5]xx$/.test(value)) return value as Status;
  throw errors.invalidControlValue('status', `expected a status such as 429 or a class such as 4xx, but got '${value}'`);
}

function readCount(name: string, value: string, max: number): number {
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) > max) throw errors.invalidControlValue(name, `expected an integer from 0 to ${max}, but got '${value}'`);
  return Number(value);
}

/** A field filter's query key: `fields[size]=1024x1024` arrives (simple query parser) as the key `fields[size]`. */
const FIELD_FILTER = /^fields\[([^[\]]+)\]$/;

/** The list's query parameters, as an error lists them (`namespace` is read by the control-namespace step). */
const LIST_PARAMETERS: readonly string[] = ['namespace', 'model', 'status', 'prompt', 'fields[<field>]', 'since', 'limit'];

/** An unknown or malformed name (`?fields=x`, `?fields[a][b]=1`) is refused: ignoring it would list everything. */
function checkListParameters(req: Request): void {
  for (const key of Object.keys(req.query)) {
    if (!LIST_PARAMETERS.includes(key) && !FIELD_FILTER.test(key)) throw errors.unknownQueryParameter(key, LIST_PARAMETERS);
  }
}

/** The `fields[<name>]` filters, by field name. */
function readFieldFilters(req: Request): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.query)) {
    const name = FIELD_FILTER.exec(key)?.[1];
    if (name === undefined) continue;
    if (typeof value !== 'string') throw errors.invalidControlValue(key, 'expected a single value');
    fields[name] = value;
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** `?model=&status=&prompt=&fields[x]=&since=&limit=` -> a filter; malformed values are 400s, not silently ignored. */
export function journalFilter(req: Request): JournalFilter {
  checkListParameters(req);
  const filter: { -readonly [K in keyof JournalFilter]: JournalFilter[K] } = {};
  const model = single(req, 'model');
  if (model !== undefined) filter.model = model;
  const status = single(req, 'status');
  if (status !== undefined) filter.status = readStatus(status);
  const prompt = single(req, 'prompt');
  if (prompt !== undefined) filter.prompt = prompt;
  const fields = readFieldFilters(req);
  if (fields) filter.fields = fields;
  const since = single(req, 'since');
  if (since !== undefined) filter.since = readCount('since', since, 999_999_999);
  const limit = single(req, 'limit');
  if (limit !== undefined) {
    if (!/^[1-9][0-9]{0,5}$/.test(limit)) throw errors.invalidControlValue('limit', `expected an integer from 1 to 999999, but got '${limit}'`);
    filter.limit = Number(limit);
  }
  return filter;
}

interface VerifyRequest {
  where?: { model?: string; status?: number | string; prompt?: string; fields?: Record<string, string> };
  count?: number;
  at_least?: number;
  at_most?: number;
}

export function journalRouter(stores: Stores, contract: Contract): Router {
  const { state } = stores;
  const router = routeTable();
  router.get('/__sandbox/requests', async (req, res) => {
    const list = await state.journal.list(readNamespace(res), journalFilter(req));
    res.json({ data: list.entries, rev: list.rev, removed: list.removed });
  });
  router.delete('/__sandbox/requests', async (_req, res) => {
    res.json({ deleted: await state.journal.clear(oneNamespace(res)) });
  });
  router.post('/__sandbox/requests/verify', readControlJson, async (req, res) => {
    const body = checkControlBody<VerifyRequest>(req.body, 'VerifyRequest', contract);
    const where = body.where ?? {};
    const filter: JournalFilter = {
      ...(where.model !== undefined ? { model: where.model } : {}),
      ...(where.status !== undefined ? { status: readStatus(where.status) } : {}),
      ...(where.prompt !== undefined ? { prompt: where.prompt } : {}),
      ...(where.fields !== undefined ? { fields: where.fields } : {}),
    };
    const { entries } = await state.journal.list(readNamespace(res));
    const expectation = { ...(body.count !== undefined ? { count: body.count } : {}), ...(body.at_least !== undefined ? { atLeast: body.at_least } : {}), ...(body.at_most !== undefined ? { atMost: body.at_most } : {}) };
    res.json(verifyJournal(entries, filter, expectation));
  });
  router.get('/__sandbox/requests/:id', async (req, res) => {
    const entry = await state.journal.get(idNamespace(res), String(req.params.id));
    if (!entry) throw errors.journalEntryNotFound(String(req.params.id));
    res.json(entry);
  });

  const serveBlob = (kind: JournalBlobKind, what: string) => async (req: Request, res: Response) => {
    const id = String(req.params.id);
    // Digits only: Number() also reads '0x0', '0.0', '-0' and '1e0' as 0, which would give one file many urls.
    const index = kind === 'mask' ? '0' : String(req.params.index);
    const blob = /^[0-9]{1,9}$/.test(index) ? await state.journal.blob(idNamespace(res), id, kind, Number(index)) : undefined;
    if (!blob) throw errors.journalFileNotFound(id, what);
    res.setHeader('content-type', blob.contentType);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-store');
    res.end(blob.bytes);
  };
  router.get('/__sandbox/requests/:id/files/:index', serveBlob('files', 'upload'));
  router.get('/__sandbox/requests/:id/mask', serveBlob('mask', 'mask'));
  router.get('/__sandbox/requests/:id/outputs/:index', serveBlob('outputs', 'output'));
  router.get('/__sandbox/requests/:id/partials/:index', serveBlob('partials', 'partial image'));
  return router;
}

/**
 * The minimal Files API the JSON edit form's `file_id` needs, with the live shapes and
 * errors: upload (`POST /v1/files`), list, retrieve, content and delete. Bearer auth as on
 * `/v1/images/edits`; the upload is validated against openapi.yaml's `CreateFileRequest`.
 * @see ../shared/reference/models-2026.md §7.4
 */
import { type Router, type Request, type RequestHandler, type Response } from 'express';
import { routeTable } from '../http/route-table';
import multer from 'multer';
import type { SandboxConfig } from '../config';
import type { Contract } from '../contract/spec';
import type { AnswerSource } from '../edits/answer-source';
import { fromMulterError, toParsedForm } from '../edits/parse';
import { authenticate } from '../edits/receive';
import { authorizationKey } from '../http/authorization-key';
import { FILE_PLACEHOLDER, fromSchemaError, pickSchemaError } from '../edits/schema-errors';
import { errors } from '../errors/catalogue';
import type { Stores } from '../stores/create-stores';
import { storedContentType, type FileListQuery, type NewUpload } from '../stores/file-objects';
import { checkSandboxHeaders } from '../guards/sandbox-headers';
import { NAMESPACE_HEADER, namespaceOfRequest } from '../stores/namespace';

export interface FilesDeps {
  readonly config: SandboxConfig;
  readonly contract: Contract;
  readonly stores: Stores;
  /** The upstream or the cassette that answers instead of the sandbox, when configured. */
  readonly answerSource?: AnswerSource | undefined;
}

/** How the SDKs send `expires_after` in a multipart form (qs-style brackets). */
const EXPIRES_AFTER_FIELD = /^expires_after\[(anchor|seconds)\]$/;
const MAX_LIST_LIMIT = 10_000;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set on /v1/files routes: whose file objects the request reads and writes. */
      filesNamespace?: string;
    }
  }
}

/** The Bearer key, as on /v1/images/edits, and the namespace the request's files belong to. */
function receiveFilesRequest(config: SandboxConfig, stores: Stores): RequestHandler {
  const accepted = new Set(config.apiKeys);
  return async (req, res, next) => {
    checkSandboxHeaders(req);
    const namespace = namespaceOfRequest(req.get(NAMESPACE_HEADER), authorizationKey(req.headers.authorization) ?? '', config.namespaceFrom);
    res.locals.outcomeNamespace = namespace;
    authenticate(req, accepted);
    await stores.state.namespaces.touch(namespace);
    res.locals.filesNamespace = namespace;
    next();
  };
}

function namespaceOf(res: Response): string {
  const namespace = res.locals.filesNamespace;
  if (namespace === undefined) throw errors.internal();
  return namespace;
}

function uploadReader(config: SandboxConfig): RequestHandler {
  const upload = multer({ storage: multer.memoryStorage(), limits: { files: 4, fields: 16, parts: 24, fileSize: config.maxUploadBytes } }).any();
  return (req, res, next) => upload(req, res, (err?: unknown) => (err ? next(fromMulterError(err, config.maxUploadBytes)) : next()));
}

/** The form as the schema sees it: the bracketed fields folded into `expires_after`, the file as a placeholder. */
function uploadData(req: Request): { data: Record<string, unknown>; file: Express.Multer.File | undefined } {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  const expiresAfter: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const bracket = EXPIRES_AFTER_FIELD.exec(key);
    if (bracket) expiresAfter[bracket[1]!] = value;
    else data[key] = value;
  }
  if (Object.keys(expiresAfter).length > 0) data.expires_after = expiresAfter;
  const parts = (req.files as Express.Multer.File[] | undefined) ?? [];
  const file = parts.find((part) => part.fieldname === 'file');
  for (const part of parts) if (part !== file) data[part.fieldname] = FILE_PLACEHOLDER;
  if (data.file !== undefined && typeof data.file === 'string') throw errors.invalidType('file', 'a file', 'a string');
  if (file) data.file = FILE_PLACEHOLDER;
  return { data, file };
}

function listQuery(req: Request): FileListQuery {
  const text = (name: string): string | undefined => {
    const value = req.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw errors.invalidType(name, 'a string', Array.isArray(value) ? 'an array' : 'an object');
    return value;
  };
  const rawLimit = text('limit');
  let limit = MAX_LIST_LIMIT;
  if (rawLimit !== undefined) {
    if (!/^-?\d+$/.test(rawLimit.trim())) throw errors.notAnInteger('limit');
    limit = Number(rawLimit);
    if (limit < 1) throw errors.integerBelowMinimum('limit', 1, limit);
    if (limit > MAX_LIST_LIMIT) throw errors.integerAboveMaximum('limit', MAX_LIST_LIMIT, limit);
  }
  const order = text('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw errors.invalidValue('order', order, ['asc', 'desc']);
  return { purpose: text('purpose'), limit, order, after: text('after') };
}

export function filesApiRouter(deps: FilesDeps): Router {
  const { config, contract, stores, answerSource } = deps;
  const router = routeTable();
  const guard = receiveFilesRequest(config, stores);
  const files = stores.state.fileObjects;
  // The upstream or the cassette answers first, once the body (if any) is read.
  const capture = answerSource?.captureBody ? [answerSource.captureBody] : [];
  const elsewhere: RequestHandler = async (req, res, next) => {
    if (!answerSource) return next();
    const form = req.method === 'POST' ? toParsedForm(req.body, req.files as Express.Multer.File[] | undefined, 'multipart') : undefined;
    if (!(await answerSource.answer(req, res, { namespace: namespaceOf(res), form, journal: undefined }))) next();
  };

  router.post('/v1/files', guard, ...capture, uploadReader(config), elsewhere, async (req, res) => {
    const { data, file } = uploadData(req);
    const validate = contract.requestValidator('CreateFileRequest');
    const checked = structuredClone(data);
    if (!validate(checked)) {
      const error = pickSchemaError(validate.errors ?? []);
      throw error ? fromSchemaError(error, data, { json: false, fileFields: { file: 'a file' } }) : errors.internal();
    }
    if (!file) throw errors.missingParameter('file');
    if (file.buffer.length > config.maxFilesBytes) throw errors.fileTooLarge('file', config.maxFilesBytes);
    const expiresAfter = checked.expires_after as { seconds: number } | undefined;
    const upload: NewUpload = {
      content: file.buffer,
      filename: file.originalname,
      contentType: file.mimetype,
      purpose: checked.purpose as NewUpload['purpose'],
      expiresAfterSeconds: expiresAfter?.seconds,
    };
    res.json(await files.create(namespaceOf(res), upload));
  });

  router.get('/v1/files', guard, elsewhere, async (req, res) => {
    const { data, hasMore } = await files.list(namespaceOf(res), listQuery(req));
    res.json({ object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore });
  });

  router.get('/v1/files/:file_id', guard, elsewhere, async (req, res) => {
    const id = String(req.params.file_id);
    const stored = await files.retrieve(namespaceOf(res), id);
    if (!stored) throw errors.noSuchFile(id);
    res.json(stored.object);
  });

  router.delete('/v1/files/:file_id', guard, elsewhere, async (req, res) => {
    const id = String(req.params.file_id);
    if (!(await files.delete(namespaceOf(res), id))) throw errors.noSuchFile(id);
    res.json({ id, object: 'file', deleted: true });
  });

  router.get('/v1/files/:file_id/content', guard, elsewhere, async (req, res) => {
    const id = String(req.params.file_id);
    const stored = await files.retrieve(namespaceOf(res), id);
    if (!stored) throw errors.noSuchFile(id);
    const type = storedContentType(stored);
    res.setHeader('content-type', /^image\/(png|jpeg|webp)$/.test(type) ? type : 'application/octet-stream');
    res.setHeader('x-content-type-options', 'nosniff');
    res.end(stored.content);
  });

  return router;
}

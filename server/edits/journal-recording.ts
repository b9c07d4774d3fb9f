/**
 * Records each edit request in the journal as the pipeline learns about it: opened before
 * auth (so rejected requests are recorded too), filled by the route after each step, and
 * committed when the response closes, with what the client actually received.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { JournalBlob, JournalFileMeta, JournalRecord, JournalStore } from '../stores/journal-store';
import type { Usage } from './account';
import type { EditPlan, InspectedImage, InspectedInputs, ParsedForm, UploadedFile } from './types';

/** Headers worth seeing when debugging a client; everything else is left out. */
const KEPT_HEADERS = [
  'content-type',
  'content-length',
  'openai-organization',
  'openai-project',
  'x-sandbox-scenario',
  'x-sandbox-latency-ms',
  'x-stainless-retry-count',
  'x-stainless-lang',
  'x-stainless-package-version',
] as const;

/** `Bearer sk-…redacted`: the key's kind (its prefix before the first dash) and never the key. */
export function redactAuthorization(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^(Bearer) +(\S+)/i.exec(header);
  if (!match) return '…redacted';
  const key = match[2] ?? '';
  const prefix = /^[A-Za-z]{2,4}-/.exec(key)?.[0] ?? '';
  return `${match[1]} ${prefix.length + 8 <= key.length ? prefix : ''}…redacted`;
}

function keptHeaders(req: Request): JournalRecord['headers'] {
  const headers: JournalRecord['headers'] = { authorization: redactAuthorization(req.headers.authorization), 'user-agent': req.get('user-agent') ?? null };
  for (const name of KEPT_HEADERS) {
    const value = req.get(name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

export function journalOf(res: Response): JournalRecord | undefined {
  return res.locals.journal as JournalRecord | undefined;
}

/** The error envelope as sent, caught on its way out (whoever produced it). */
function captureErrors(res: Response, record: JournalRecord): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const error = (body as { error?: Record<string, unknown> } | null)?.error;
    if (res.statusCode >= 400 && error && typeof error === 'object')
      record.error = {
        status: res.statusCode,
        message: String(error.message),
        type: String(error.type),
        param: (error.param as string | null) ?? null,
        code: (error.code as string | null) ?? null,
      };
    return json(body);
  };
}

/** Opens the request's record; commits it to `journal` when the response closes. */
export function openJournalEntry(journal: JournalStore): RequestHandler {
  return (req, res, next) => {
    const record: JournalRecord = {
      id: String(res.locals.requestId),
      time: new Date().toISOString(),
      method: req.method,
      path: req.path,
      headers: keptHeaders(req),
      status: 0,
      duration_ms: 0,
      stream: false,
      scenario: null,
      fields: {},
      plan: null,
      files: [],
      mask: null,
      outputs: [],
      usage: null,
      error: null,
    };
    res.locals.journal = record;
    captureErrors(res, record);
    res.on('close', () => {
      // 499: the client went away before the answer was complete (nginx's convention).
      record.status = res.writableFinished ? res.statusCode : 499;
      record.duration_ms = Math.round((performance.now() - (res.locals.startedAt as number)) * 10) / 10;
      if (record.files.length === 0 && Object.keys(record.fields).length === 0) record.fields = fieldsOf(req.body);
      if (!record.plan) record.stream = String(record.fields.stream) === 'true';
      journal.commit(record);
    });
    next();
  };
}

function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : {};
}

function uploadBlob(file: UploadedFile): JournalBlob<JournalFileMeta> {
  return {
    meta: {
      field: file.field,
      param: file.param,
      filename: file.filename,
      content_type: file.mimetype,
      bytes: file.buffer.length,
      format: null,
      width: null,
      height: null,
      sha256: file.sha256,
    },
    buffer: file.buffer,
  };
}

/** The text fields as sent and every uploaded file (described fully once inspected). */
export function recordForm(res: Response, form: ParsedForm): void {
  const record = journalOf(res);
  if (!record) return;
  record.fields = fieldsOf(form.fields);
  record.files = [...form.images, ...form.otherFiles].map(uploadBlob);
  record.mask = form.masks[0] ? uploadBlob(form.masks[0]) : null;
}

function describe(blob: JournalBlob<JournalFileMeta> | null | undefined, image: InspectedImage): void {
  if (!blob) return;
  blob.meta.format = image.format;
  blob.meta.width = image.width;
  blob.meta.height = image.height;
}

export function recordInputs(res: Response, inputs: InspectedInputs): void {
  const record = journalOf(res);
  if (!record) return;
  inputs.images.forEach((image, i) => describe(record.files[i], image));
  if (inputs.mask) describe(record.mask, inputs.mask);
}

export function recordPlan(res: Response, plan: EditPlan, usage: Usage | undefined): void {
  const record = journalOf(res);
  if (!record) return;
  record.plan = {
    model: plan.model,
    size: plan.size,
    quality: plan.quality,
    background: plan.background,
    output_format: plan.outputFormat,
    n: plan.n,
    response_format: plan.responseFormat,
  };
  record.stream = plan.stream;
  record.usage = usage ?? null;
}

export function recordOutputs(res: Response, plan: EditPlan, images: readonly Buffer[]): void {
  const record = journalOf(res);
  if (!record) return;
  record.outputs = images.map((bytes, index) => ({ meta: { index, format: plan.outputFormat, bytes: bytes.length }, buffer: bytes }));
}

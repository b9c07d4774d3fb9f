/**
 * Records one edit request in the journal as the pipeline learns about it: opened by the
 * receive step (so rejected requests are recorded too), filled after each step, and committed
 * when the response closes, with what the client actually received. Errors are not reported
 * to it: it reads the outcome the error middleware recorded (`res.locals.outcomeError`).
 */
import type { Request, Response } from 'express';
import { errors } from '../errors/catalogue';
import type { SandboxError } from '../errors/sandbox-error';
import { sniffFormat } from '../images/sniff-format';
import type { ReceivedEvent } from '../streaming/parse-sse';
import type { SseEvent } from '../streaming/sse';
import type { AnsweredBy, JournalBlob, JournalError, JournalFileMeta, JournalImageRef, JournalOutputMeta, JournalRecord, JournalResponse, JournalStreamEvent, Violation } from '../stores/journal-record';
import type { JournalState } from '../stores/state';
import type { Usage } from './account';
import type { ImagesResponse } from './respond-json';
import type { StreamedImage } from './respond-stream';
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

/** Response headers a client's retry, rate-limit or debugging logic reads; the rest are transport. */
const KEPT_RESPONSE_HEADERS = /^(content-type|x-request-id|openai-version|openai-processing-ms|retry-after|retry-after-ms|x-ratelimit-[a-z-]+)$/;

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

function sentHeaders(res: Response): JournalResponse['headers'] {
  const headers: JournalResponse['headers'] = {};
  if (!res.headersSent) return headers;
  for (const [name, value] of Object.entries(res.getHeaders())) if (KEPT_RESPONSE_HEADERS.test(name) && value !== undefined) headers[name] = String(value);
  return headers;
}

const imageRef = (kind: StreamedImage['kind'], index: number): JournalImageRef => ({ $image: { kind, index } });

/** An image the sandbox did not make: its format read from its bytes. */
const foreignImage = (bytes: Buffer, index: number): JournalBlob<JournalOutputMeta> => ({ meta: { index, format: sniffFormat(bytes) ?? 'unknown', bytes: bytes.length }, buffer: bytes });

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const base64Of = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);

function describeError(error: SandboxError, requestId: string): JournalError {
  return { status: error.status, message: error.messageFor(requestId), type: error.type, param: error.param, code: error.code };
}

/** Long `data:` URLs of a JSON edit are kept short: their bytes are in `files`, not in `fields`. */
function shortened(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 200 && /^data:/i.test(value) ? `${value.slice(0, 64)}… (${value.length} characters)` : value;
  if (Array.isArray(value)) return value.map(shortened);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shortened(v)]));
  return value;
}

function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (shortened(body) as Record<string, unknown>) : {};
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

function describe(blob: JournalBlob<JournalFileMeta> | null | undefined, image: InspectedImage): void {
  if (!blob) return;
  blob.meta.format = image.format;
  blob.meta.width = image.width;
  blob.meta.height = image.height;
}

/** The writer of one request's journal record. */
export class JournalRecorder {
  private readonly record: JournalRecord;
  /** The JSON body sent, images already replaced by references. */
  private body: unknown = null;
  /** A stream's events as written to the client. */
  private readonly events: JournalStreamEvent[] = [];

  /**
   * @param startedAt when the request arrived (`performance.now()`), the zero of its timings.
   */
  constructor(req: Request, requestId: string, namespace: string, private readonly startedAt: number) {
    this.record = {
      id: requestId,
      namespace,
      state: 'in_flight',
      time: new Date().toISOString(),
      method: req.method,
      path: req.path,
      body_form: req.is('application/json') ? 'json' : 'multipart',
      headers: keptHeaders(req),
      status: 0,
      duration_ms: 0,
      stream: false,
      scenario: null,
      answered_by: 'sandbox',
      exchange: null,
      violations: [],
      fields: {},
      plan: null,
      files: [],
      mask: null,
      outputs: [],
      partials: [],
      usage: null,
      error: null,
      response: null,
    };
  }

  /**
   * Opens the request's record (in flight from now on) and commits it to `journal` when the
   * response closes. A record that cannot be finished or committed (the backend went away) is
   * reported, not thrown: the client already has its answer, and this runs outside any request
   * handler, where a throw would end the process.
   */
  static async open(req: Request, res: Response, journal: JournalState, namespace: string, onCommitError: (err: unknown) => void): Promise<JournalRecorder> {
    const recorder = new JournalRecorder(req, res.locals.requestId, namespace, res.locals.startedAt);
    res.on('close', () => {
      Promise.resolve()
        .then(() => journal.commit(recorder.finish(req, res)))
        .catch(onCommitError);
    });
    await journal.open(recorder.record);
    return recorder;
  }

  /** The text fields as sent and every uploaded file (described fully once inspected). */
  recordForm(form: ParsedForm): void {
    this.record.fields = fieldsOf(form.fields);
    this.record.files = [...form.images, ...form.otherFiles].map(uploadBlob);
    this.record.mask = form.masks[0] ? uploadBlob(form.masks[0]) : null;
  }

  /** A JSON edit's images, once loaded from their references (described fully once inspected). */
  recordUploads(images: readonly UploadedFile[], mask: UploadedFile | undefined): void {
    this.record.files = images.map(uploadBlob);
    this.record.mask = mask ? uploadBlob(mask) : null;
  }

  /** Answered by an upstream or a cassette rather than generated; `exchange` names its cassette folder. */
  recordSource(answeredBy: AnsweredBy, exchange: string | null): void {
    this.record.answered_by = answeredBy;
    this.record.exchange = exchange;
  }

  recordViolations(violations: readonly Violation[]): void {
    this.record.violations.push(...violations);
  }

  /**
   * What an upstream or a cassette answered, as read from its body: the images (their format
   * sniffed), the usage and the error, each when there is one.
   */
  recordForeignAnswer(answer: { images: readonly Buffer[]; usage: JournalRecord['usage']; error: Omit<JournalError, 'status'> | null; status: number }): void {
    // A stream's images were kept event by event (recordForeignEvent), where its events refer to them.
    if (this.events.length === 0) this.record.outputs = answer.images.map((bytes, index) => foreignImage(bytes, index));
    this.record.usage = answer.usage;
    this.record.error = answer.error && { status: answer.status, ...answer.error };
  }

  /** A JSON body an upstream or a cassette answered, as the client received it: its images are the outputs (in order), referenced. */
  recordForeignBody(body: unknown): void {
    if (!isObject(body) || !Array.isArray(body.data)) {
      this.body = body;
      return;
    }
    let index = 0;
    this.body = { ...body, data: body.data.map((item: unknown) => (isObject(item) && base64Of(item.b64_json) !== undefined ? { ...item, b64_json: imageRef('outputs', index++) } : item)) };
  }

  /**
   * One event of a stream an upstream or a cassette answered, once passed to the client: a
   * partial image kept in arrival order, any other image as an output, each referenced; data
   * that is not a JSON object kept as its text (`$data`).
   */
  recordForeignEvent(event: ReceivedEvent): void {
    let data: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(event.data);
      data = isObject(parsed) ? parsed : { $data: event.data };
    } catch {
      data = { $data: event.data };
    }
    const base64 = base64Of(data.b64_json);
    if (base64 !== undefined) {
      // The upstream's own index is not trusted as an array index: arrival order is.
      const kind = data.type === 'image_edit.partial_image' ? 'partials' : 'outputs';
      const index = this.record[kind].length;
      this.record[kind].push(foreignImage(Buffer.from(base64, 'base64'), index));
      data = { ...data, b64_json: imageRef(kind, index) };
    }
    this.events.push({ event: event.event ?? 'message', at_ms: this.elapsedMs(), data });
  }

  recordScenario(scenario: string): void {
    this.record.scenario = scenario;
  }

  recordInputs(inputs: InspectedInputs): void {
    inputs.images.forEach((image, i) => describe(this.record.files[i], image));
    if (inputs.mask) describe(this.record.mask, inputs.mask);
  }

  recordPlan(plan: EditPlan, usage: Usage | undefined): void {
    this.record.plan = {
      model: plan.model,
      size: plan.size,
      quality: plan.quality,
      background: plan.background,
      output_format: plan.outputFormat,
      n: plan.n,
      response_format: plan.responseFormat,
    };
    this.record.stream = plan.stream;
    this.record.usage = usage ?? null;
  }

  recordOutputs(plan: EditPlan, images: readonly Buffer[]): void {
    this.record.outputs = images.map((bytes, index) => ({ meta: { index, format: plan.outputFormat, bytes: bytes.length }, buffer: bytes }));
  }

  /** The JSON body sent (its images' base64 still placeholders): kept with references to the outputs instead. */
  recordImagesBody(body: ImagesResponse): void {
    this.body = { ...body, data: body.data?.map((item, index) => (item.b64_json !== undefined ? { ...item, b64_json: imageRef('outputs', index) } : item)) };
  }

  /**
   * One stream event, once written to the client: its image kept (a partial, or the completed
   * image as the output) and referenced from the recorded event instead of its base64.
   */
  recordStreamEvent(event: SseEvent, image: StreamedImage | undefined): void {
    let data = event.data as Record<string, unknown>;
    if (image) {
      const format = this.record.plan?.output_format ?? 'png';
      this.record[image.kind][image.index] = { meta: { index: image.index, format, bytes: image.bytes.length }, buffer: image.bytes };
      data = { ...data, b64_json: imageRef(image.kind, image.index) };
    }
    this.events.push({ event: event.event, at_ms: this.elapsedMs(), data });
  }

  private elapsedMs(): number {
    return Math.round((performance.now() - this.startedAt) * 10) / 10;
  }

  /** At which point a client that left did so, for its 499. */
  private leftWhen(req: Request, res: Response, streamed: boolean): string {
    if (!req.complete) return 'while it was still sending the request body';
    if (!res.headersSent) return 'before the sandbox answered';
    if (streamed) return `after ${this.events.length} stream event${this.events.length === 1 ? '' : 's'}, before the stream ended`;
    return 'before the whole response body was sent';
  }

  /** The record as the client saw the request end: one status, error and response, all from what it received. */
  private finish(req: Request, res: Response): JournalRecord {
    const record = this.record;
    record.state = 'complete';
    const received = res.writableFinished;
    const streamed = res.headersSent && String(res.getHeader('content-type')).startsWith('text/event-stream');
    // 499: the client went away before the answer was complete (nginx's convention).
    record.status = received ? res.statusCode : 499;
    record.duration_ms = this.elapsedMs();
    const error = received ? res.locals.outcomeError : errors.clientClosedRequest(this.leftWhen(req, res, streamed));
    if (error) record.error = describeError(error, record.id);
    if (record.files.length === 0 && Object.keys(record.fields).length === 0) record.fields = fieldsOf(req.body);
    if (!record.plan) record.stream = String(record.fields.stream) === 'true';
    record.response = {
      headers: sentHeaders(res),
      body: received && !streamed ? (this.body ?? res.locals.outcomeError?.toBody(record.id) ?? null) : null,
      events: streamed ? this.events : null,
    };
    return record;
  }
}

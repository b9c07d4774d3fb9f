/**
 * One journal record: what an edit request sent and got, as the recorder fills it in and a
 * state backend keeps it, with the bytes it holds beside their description. Shared by every
 * backend: the wire shape (`toEntry`) and the filter (`recordMatches`) are decided here once.
 */
import type { components } from '../contract/openapi-types.gen';

// The wire shapes come from openapi.yaml (generated types); the record adds only the bytes.
type Schemas = components['schemas'];
/** An uploaded image or mask, as the journal describes it (its url is added when listed). */
export type JournalFileMeta = Omit<Schemas['JournalFile'], 'url'>;
export type JournalOutputMeta = Omit<Schemas['JournalOutput'], 'url'>;
export type JournalPlan = Schemas['JournalPlan'];
export type JournalError = Schemas['JournalError'];
export type JournalResponse = Schemas['JournalResponse'];
export type JournalStreamEvent = Schemas['JournalStreamEvent'];
/** Stands for an image's base64 in a recorded body or event. */
export type JournalImageRef = Schemas['JournalImageRef'];
export type Violation = Schemas['Violation'];
/** Who answered a request: the sandbox, the upstream it forwarded to, or a cassette. */
export type AnsweredBy = JournalEntry['answered_by'];
/** The wire shape of `GET /__sandbox/requests[/:id]`. @see openapi.yaml#/components/schemas/JournalEntry */
export type JournalEntry = Schemas['JournalEntry'];

/** Bytes the journal may serve back, with their description; `buffer` null once released. */
export interface JournalBlob<M> {
  meta: M;
  buffer: Buffer | null;
}

/** One request while it runs and after: the recorder fills it in, a backend keeps it. */
export interface JournalRecord {
  readonly id: string;
  readonly namespace: string;
  readonly time: string;
  readonly method: string;
  readonly path: string;
  /** `multipart` (uploads; url-encoded too) or `json` (images by reference). */
  readonly body_form: JournalEntry['body_form'];
  readonly headers: JournalEntry['headers'];
  /** `in_flight` from the moment the request arrives until its response closes. */
  state: JournalEntry['state'];
  status: number;
  duration_ms: number;
  stream: boolean;
  scenario: string | null;
  answered_by: AnsweredBy;
  /** The cassette exchange that recorded or answered it. */
  exchange: string | null;
  violations: Violation[];
  fields: Record<string, unknown>;
  plan: JournalPlan | null;
  files: JournalBlob<JournalFileMeta>[];
  mask: JournalBlob<JournalFileMeta> | null;
  outputs: JournalBlob<JournalOutputMeta>[];
  /** A stream's partial images, as written to the client. */
  partials: JournalBlob<JournalOutputMeta>[];
  usage: Schemas['ImageGenUsage'] | null;
  error: JournalError | null;
  /** What the client received; null while in flight. */
  response: JournalResponse | null;
}

/**
 * Every kind of bytes a record keeps, in one place: backends walk a record's blobs through
 * these (bounds, serialisation, serving), so a new kind is added here and nowhere else.
 * `mask` is a list of at most one.
 */
export const JOURNAL_BLOB_KINDS = ['files', 'mask', 'outputs', 'partials'] as const;
export type JournalBlobKind = (typeof JOURNAL_BLOB_KINDS)[number];

/**
 * How many removals (clears, resets, the size bound) a backend remembers for `since` reads; a
 * reader further behind is told to read everything again (`removed: null`).
 */
export const JOURNAL_REMOVALS_KEPT = 1000;

/** Which requests a listing or a verification selects; every criterion given must hold. */
export interface JournalFilter {
  /** The resolved model, else the model field as sent. */
  readonly model?: string;
  /** An exact status (429) or a class ('4xx'). */
  readonly status?: number | `${1 | 2 | 3 | 4 | 5}xx`;
  /** Only requests whose prompt contains this text. */
  readonly prompt?: string;
  /** Only requests whose fields, as sent, have these values (compared as text). */
  readonly fields?: Readonly<Record<string, string>>;
  /** Only entries changed after this revision (incremental reads). */
  readonly since?: number;
  /** Only the newest `limit` entries (still newest last). */
  readonly limit?: number;
}

/** The blobs of one kind, in index order. */
export function blobsOfKind(record: JournalRecord, kind: JournalBlobKind): JournalBlob<JournalFileMeta | JournalOutputMeta>[] {
  if (kind === 'mask') return record.mask ? [record.mask] : [];
  return record[kind];
}

/** One blob, or undefined when the record has none there. */
export function blobAt(record: JournalRecord, kind: JournalBlobKind, index: number): JournalBlob<JournalFileMeta | JournalOutputMeta> | undefined {
  return blobsOfKind(record, kind)[index];
}

/** Every blob of a record with where it sits, for backends that store bytes apart from the description. */
export function blobSlots(record: JournalRecord): { kind: JournalBlobKind; index: number; blob: JournalBlob<JournalFileMeta | JournalOutputMeta> }[] {
  return JOURNAL_BLOB_KINDS.flatMap((kind) => blobsOfKind(record, kind).map((blob, index) => ({ kind, index, blob })));
}

/** A record whose blobs have another shape: a backend's stored form (bytes kept elsewhere). */
export type WithBlobs<B> = Omit<JournalRecord, JournalBlobKind> & { files: B[]; mask: B | null; outputs: B[]; partials: B[] };

/** The record with each blob replaced by `fn`'s: a backend's codec (bytes out, or back in). */
export function mapBlobs<A, B>(record: WithBlobs<A>, fn: (blob: A, kind: JournalBlobKind, index: number) => B): WithBlobs<B> {
  return {
    ...record,
    files: record.files.map((blob, i) => fn(blob, 'files', i)),
    mask: record.mask && fn(record.mask, 'mask', 0),
    outputs: record.outputs.map((blob, i) => fn(blob, 'outputs', i)),
    partials: record.partials.map((blob, i) => fn(blob, 'partials', i)),
  };
}

/** Where the sandbox serves a kept blob (the `url` of its entry). */
export function blobPath(id: string, kind: JournalBlobKind, index: number): string {
  return kind === 'mask' ? `/__sandbox/requests/${id}/mask` : `/__sandbox/requests/${id}/${kind}/${index}`;
}

export function blobsOf(record: JournalRecord): JournalBlob<unknown>[] {
  return blobSlots(record).map((slot) => slot.blob);
}

export function heldBytes(record: JournalRecord): number {
  return blobsOf(record).reduce((sum, blob) => sum + (blob.buffer?.length ?? 0), 0);
}

function statusMatches(status: number, wanted: NonNullable<JournalFilter['status']>): boolean {
  return typeof wanted === 'number' ? status === wanted : Math.floor(status / 100) === Number(wanted[0]);
}

/** The criteria of a filter a record meets and misses (revision and limit aside). */
export function filterCriteria(record: Pick<JournalRecord, 'plan' | 'fields' | 'status'>, filter: JournalFilter): { met: string[]; missed: string[] } {
  const met: string[] = [];
  const missed: string[] = [];
  const check = (name: string, ok: boolean) => (ok ? met : missed).push(name);
  if (filter.model !== undefined) check('model', (record.plan?.model ?? record.fields.model) === filter.model);
  if (filter.status !== undefined) check('status', statusMatches(record.status, filter.status));
  if (filter.prompt !== undefined) check('prompt', typeof record.fields.prompt === 'string' && record.fields.prompt.includes(filter.prompt));
  for (const [name, value] of Object.entries(filter.fields ?? {})) {
    const sent = record.fields[name];
    check(`fields.${name}`, sent !== undefined && sent !== null && String(sent) === value);
  }
  return { met, missed };
}

export function recordMatches(record: JournalRecord, filter: JournalFilter): boolean {
  return filterCriteria(record, filter).missed.length === 0;
}

/** The wire entry: the record's description, with a url wherever its bytes are still kept. */
export function toEntry(record: JournalRecord, rev: number): JournalEntry {
  const withUrl = <M>(blob: JournalBlob<M>, kind: JournalBlobKind, index: number): M & { url: string | null } => ({
    ...blob.meta,
    url: blob.buffer ? blobPath(record.id, kind, index) : null,
  });
  return {
    id: record.id,
    namespace: record.namespace,
    rev,
    state: record.state,
    time: record.time,
    method: record.method,
    path: record.path,
    body_form: record.body_form,
    status: record.status,
    duration_ms: record.duration_ms,
    stream: record.stream,
    scenario: record.scenario,
    answered_by: record.answered_by,
    exchange: record.exchange,
    violations: record.violations.map((v) => ({ ...v, location: [...v.location] })),
    fields: { ...record.fields },
    plan: record.plan && { ...record.plan },
    files: record.files.map((blob, i) => withUrl(blob, 'files', i)),
    mask: record.mask && withUrl(record.mask, 'mask', 0),
    outputs: record.outputs.map((blob, i) => withUrl(blob, 'outputs', i)),
    partials: record.partials.map((blob, i) => withUrl(blob, 'partials', i)),
    usage: record.usage ?? null,
    error: record.error && { ...record.error },
    headers: { ...record.headers },
    response: record.response,
  };
}

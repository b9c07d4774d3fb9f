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
  fields: Record<string, unknown>;
  plan: JournalPlan | null;
  files: JournalBlob<JournalFileMeta>[];
  mask: JournalBlob<JournalFileMeta> | null;
  outputs: JournalBlob<JournalOutputMeta>[];
  usage: Schemas['ImageGenUsage'] | null;
  error: JournalError | null;
}

export type JournalBlobKind = 'files' | 'mask' | 'outputs';

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

export function blobsOf(record: JournalRecord): JournalBlob<unknown>[] {
  return [...record.files, ...(record.mask ? [record.mask] : []), ...record.outputs];
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
  const base = `/__sandbox/requests/${record.id}`;
  const withUrl = <M>(blob: JournalBlob<M>, url: string): M & { url: string | null } => ({ ...blob.meta, url: blob.buffer ? url : null });
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
    fields: { ...record.fields },
    plan: record.plan && { ...record.plan },
    files: record.files.map((blob, i) => withUrl(blob, `${base}/files/${i}`)),
    mask: record.mask && withUrl(record.mask, `${base}/mask`),
    outputs: record.outputs.map((blob, i) => withUrl(blob, `${base}/outputs/${i}`)),
    usage: record.usage ?? null,
    error: record.error && { ...record.error },
    headers: { ...record.headers },
  };
}

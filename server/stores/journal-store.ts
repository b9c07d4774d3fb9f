/**
 * The request journal of one sandbox: what each edit request sent and got, newest last.
 * Bounded twice: by entry count (SANDBOX_JOURNAL_SIZE, oldest dropped) and by the bytes of
 * the uploads and outputs it keeps (SANDBOX_JOURNAL_BYTES, oldest entries' bytes released
 * first; their metadata stays). API keys never reach it: the recorder redacts them.
 */
import type { components } from '../contract/openapi-types.gen';
import { mimeTypeOf } from '../images/mime-types';

// The wire shapes come from openapi.yaml (generated types); the store adds only the bytes.
type Schemas = components['schemas'];
/** An uploaded image or mask, as the journal describes it (its url is added when listed). */
export type JournalFileMeta = Omit<Schemas['JournalFile'], 'url'>;
export type JournalOutputMeta = Omit<Schemas['JournalOutput'], 'url'>;
export type JournalPlan = Schemas['JournalPlan'];
export type JournalError = Schemas['JournalError'];

/** Bytes the journal may serve back, with their description. */
export interface JournalBlob<M> {
  meta: M;
  buffer: Buffer | null;
}

/** One request while it runs and after: the recorder fills it in, the store keeps it. */
export interface JournalRecord {
  readonly id: string;
  readonly time: string;
  readonly method: string;
  readonly path: string;
  readonly headers: JournalEntry['headers'];
  status: number;
  duration_ms: number;
  stream: boolean;
  scenario: string | null;
  fields: Record<string, unknown>;
  plan: JournalPlan | null;
  files: JournalBlob<JournalFileMeta>[];
  mask: JournalBlob<JournalFileMeta> | null;
  outputs: JournalBlob<JournalOutputMeta>[];
  usage: Schemas['ImagesUsage'] | null;
  error: JournalError | null;
}

/** The wire shape of `GET /__sandbox/requests[/:id]`. @see openapi.yaml#/components/schemas/JournalEntry */
export type JournalEntry = Schemas['JournalEntry'];

export interface JournalFilter {
  /** The resolved model, else the model field as sent. */
  readonly model?: string;
  /** An exact status (429) or a class ('4xx'). */
  readonly status?: number | `${1 | 2 | 3 | 4 | 5}xx`;
  /** Only the newest `limit` entries (still newest last). */
  readonly limit?: number;
}

export type JournalBlobKind = 'files' | 'mask' | 'outputs';


function blobsOf(record: JournalRecord): JournalBlob<unknown>[] {
  return [...record.files, ...(record.mask ? [record.mask] : []), ...record.outputs];
}

function heldBytes(record: JournalRecord): number {
  return blobsOf(record).reduce((sum, blob) => sum + (blob.buffer?.length ?? 0), 0);
}

function statusMatches(status: number, wanted: NonNullable<JournalFilter['status']>): boolean {
  return typeof wanted === 'number' ? status === wanted : Math.floor(status / 100) === Number(wanted[0]);
}

export class JournalStore {
  private records: JournalRecord[] = [];
  private heldByteCount = 0;

  constructor(private readonly bounds: { maxEntries: number; maxBytes: number }) {}

  /** Keeps a finished request, then drops or releases the oldest to stay in bounds. */
  commit(record: JournalRecord): void {
    if (this.bounds.maxEntries === 0) return;
    this.records.push(record);
    this.heldByteCount += heldBytes(record);
    while (this.records.length > this.bounds.maxEntries) {
      const dropped = this.records.shift();
      if (dropped) this.heldByteCount -= heldBytes(dropped);
    }
    for (const oldest of this.records) {
      if (this.heldByteCount <= this.bounds.maxBytes) break;
      for (const blob of blobsOf(oldest)) {
        this.heldByteCount -= blob.buffer?.length ?? 0;
        blob.buffer = null;
      }
    }
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    let selected = this.records.filter(
      (r) =>
        (filter.model === undefined || (r.plan?.model ?? r.fields.model) === filter.model) &&
        (filter.status === undefined || statusMatches(r.status, filter.status)),
    );
    if (filter.limit !== undefined) selected = selected.slice(Math.max(0, selected.length - filter.limit));
    return selected.map(toEntry);
  }

  get(id: string): JournalEntry | undefined {
    const record = this.records.find((r) => r.id === id);
    return record && toEntry(record);
  }

  /** The kept bytes of one upload, the mask or one output, with the content type to serve them as. */
  blob(id: string, kind: JournalBlobKind, index: number): { bytes: Buffer; contentType: string } | undefined {
    const record = this.records.find((r) => r.id === id);
    if (!record) return undefined;
    const blob = kind === 'mask' ? record.mask : record[kind][index];
    if (!blob?.buffer) return undefined;
    const format = (blob.meta as { format?: string | null }).format ?? '';
    // Unknown uploads are served as opaque bytes, never as the type the client declared.
    return { bytes: blob.buffer, contentType: mimeTypeOf(format) ?? 'application/octet-stream' };
  }

  clear(): void {
    this.records = [];
    this.heldByteCount = 0;
  }

  get size(): number {
    return this.records.length;
  }

  /** Bytes of uploads and outputs currently kept. */
  get bytes(): number {
    return this.heldByteCount;
  }
}

function toEntry(record: JournalRecord): JournalEntry {
  const base = `/__sandbox/requests/${record.id}`;
  const withUrl = <M>(blob: JournalBlob<M>, url: string): M & { url: string | null } => ({ ...blob.meta, url: blob.buffer ? url : null });
  return {
    id: record.id,
    time: record.time,
    method: record.method,
    path: record.path,
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

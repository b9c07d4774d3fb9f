/**
 * A journal record as Redis keeps it: its description as JSON (each blob marked as kept or
 * not) and its bytes as separate blobs, named `<kind>:<i>` (`mask` for the mask), whatever
 * kinds journal-record.ts lists. Decoding gives back a record the shared `toEntry` and
 * `recordMatches` read.
 */
import { blobSlots, mapBlobs, type JournalBlob, type JournalBlobKind, type JournalRecord, type WithBlobs } from '../journal-record';

interface StoredBlob {
  readonly meta: unknown;
  readonly kept: boolean;
}

export function blobName(kind: JournalBlobKind, index: number): string {
  return kind === 'mask' ? 'mask' : `${kind}:${index}`;
}

/** The record's JSON and its bytes, by blob name. */
export function encodeRecord(record: JournalRecord): { json: string; blobs: [string, Buffer][] } {
  const value = mapBlobs<JournalBlob<unknown>, StoredBlob>(record, (blob) => ({ meta: blob.meta, kept: blob.buffer !== null }));
  const blobs: [string, Buffer][] = [];
  for (const { kind, index, blob } of blobSlots(record)) if (blob.buffer) blobs.push([blobName(kind, index), blob.buffer]);
  return { json: JSON.stringify(value), blobs };
}

/** Stands for bytes that stay in Redis: toEntry only asks whether a blob still has bytes. */
const IN_REDIS = Buffer.alloc(0);

/** The record, its kept blobs marked as present while `held` (their bytes not yet released). */
export function decodeRecord(json: string, held: boolean): JournalRecord {
  const value = JSON.parse(json) as WithBlobs<StoredBlob>;
  // A record an older replica stored has no partials or response yet.
  const complete: WithBlobs<StoredBlob> = { ...value, partials: value.partials ?? [], response: value.response ?? null };
  // The metas are the ones encodeRecord stored for each kind.
  return mapBlobs(complete, (blob) => ({ meta: blob.meta, buffer: held && blob.kept ? IN_REDIS : null })) as JournalRecord;
}

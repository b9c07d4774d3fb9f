/**
 * A journal record as Redis keeps it: its description as JSON (each upload, mask and output
 * marked as kept or not) and its bytes as separate blobs, named `files:<i>`, `mask` and
 * `outputs:<i>`. Decoding gives back a record the shared `toEntry` and `recordMatches` read.
 */
import type { JournalBlob, JournalBlobKind, JournalRecord } from '../journal-record';

interface StoredBlob<M> {
  readonly meta: M;
  readonly kept: boolean;
}

type Blobs = Pick<JournalRecord, 'files' | 'mask' | 'outputs'>;
type StoredRecord = Omit<JournalRecord, keyof Blobs> & {
  files: StoredBlob<JournalRecord['files'][number]['meta']>[];
  mask: StoredBlob<NonNullable<JournalRecord['mask']>['meta']> | null;
  outputs: StoredBlob<JournalRecord['outputs'][number]['meta']>[];
};

export function blobName(kind: JournalBlobKind, index: number): string {
  return kind === 'mask' ? 'mask' : `${kind}:${index}`;
}

const stored = <M>(blob: JournalBlob<M>): StoredBlob<M> => ({ meta: blob.meta, kept: blob.buffer !== null });

/** The record's JSON and its bytes, by blob name. */
export function encodeRecord(record: JournalRecord): { json: string; blobs: [string, Buffer][] } {
  const { files, mask, outputs, ...rest } = record;
  const value: StoredRecord = { ...rest, files: files.map(stored), mask: mask && stored(mask), outputs: outputs.map(stored) };
  const blobs: [string, Buffer][] = [];
  files.forEach((blob, i) => blob.buffer && blobs.push([blobName('files', i), blob.buffer]));
  if (mask?.buffer) blobs.push([blobName('mask', 0), mask.buffer]);
  outputs.forEach((blob, i) => blob.buffer && blobs.push([blobName('outputs', i), blob.buffer]));
  return { json: JSON.stringify(value), blobs };
}

/** Stands for bytes that stay in Redis: toEntry only asks whether a blob still has bytes. */
const IN_REDIS = Buffer.alloc(0);

/** The record, its kept blobs marked as present while `held` (their bytes not yet released). */
export function decodeRecord(json: string, held: boolean): JournalRecord {
  const value = JSON.parse(json) as StoredRecord;
  const back = <M>(blob: StoredBlob<M>): JournalBlob<M> => ({ meta: blob.meta, buffer: held && blob.kept ? IN_REDIS : null });
  return { ...value, files: value.files.map(back), mask: value.mask && back(value.mask), outputs: value.outputs.map(back) };
}

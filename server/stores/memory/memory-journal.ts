/**
 * The journal in process memory: every namespace's records in one list, oldest first, so the
 * bounds hold for all of them together (a client inventing namespaces cannot grow it).
 * Bounded twice: by entry count (SANDBOX_JOURNAL_SIZE, oldest dropped) and by the bytes of the
 * uploads and outputs it keeps (SANDBOX_JOURNAL_BYTES, oldest entries' bytes released first;
 * their descriptions stay). API keys never reach it: the recorder redacts them. Every change,
 * removals included, takes a revision, so `since` reads report what is new and what is gone.
 */
import { mimeTypeOf } from '../../images/mime-types';
import { blobAt, blobsOf, heldBytes, JOURNAL_REMOVALS_KEPT, recordMatches, toEntry, type JournalBlobKind, type JournalEntry, type JournalFilter, type JournalRecord } from '../journal-record';
import type { JournalList, JournalState } from '../state';

interface Slot {
  readonly record: JournalRecord;
  /** The revision of its last change (open, then commit). */
  rev: number;
  /** Whether its bytes are counted against the bound (from its commit on). */
  counted: boolean;
  /** Whether the byte bound released its bytes (its description stays). */
  released: boolean;
}

/** A removal, remembered so `since` reads can report it. */
interface Removal {
  readonly rev: number;
  readonly id: string;
  readonly namespace: string;
}

export class MemoryJournal implements JournalState {
  private slots: Slot[] = [];
  private rev = 0;
  private heldByteCount = 0;
  /** The newest removals (JOURNAL_REMOVALS_KEPT of them), oldest first. */
  private removals: Removal[] = [];
  /** Removals at or below this revision are forgotten: a `since` older than it cannot be answered. */
  private removalsFloor = 0;

  constructor(private readonly bounds: { maxEntries: number; maxBytes: number }) {}

  async open(record: JournalRecord): Promise<void> {
    if (this.bounds.maxEntries === 0) return;
    this.slots.push({ record, rev: ++this.rev, counted: false, released: false });
    this.enforceBounds();
  }

  async commit(record: JournalRecord): Promise<void> {
    // A record the count bound already dropped while it ran stays dropped.
    const slot = this.slots.find((s) => s.record === record);
    if (!slot) return;
    slot.rev = ++this.rev;
    slot.counted = true;
    this.heldByteCount += heldBytes(record);
    this.enforceBounds();
  }

  private enforceBounds(): void {
    while (this.slots.length > this.bounds.maxEntries) this.drop(this.slots[0]!);
    if (this.heldByteCount <= this.bounds.maxBytes) return;
    // Once over the bound, every commit comes here: released slots are passed over with a
    // flag test, not by walking their blobs again.
    for (const oldest of this.slots) {
      if (this.heldByteCount <= this.bounds.maxBytes) break;
      if (!oldest.counted || oldest.released) continue;
      for (const blob of blobsOf(oldest.record)) {
        this.heldByteCount -= blob.buffer?.length ?? 0;
        blob.buffer = null;
      }
      oldest.released = true;
    }
  }

  private drop(slot: Slot): void {
    // The count bound drops the oldest, once a request: no copy of the list for that.
    if (this.slots[0] === slot) this.slots.shift();
    else this.slots = this.slots.filter((s) => s !== slot);
    if (slot.counted && !slot.released) this.heldByteCount -= heldBytes(slot.record);
    this.removals.push({ rev: ++this.rev, id: slot.record.id, namespace: slot.record.namespace });
    const excess = this.removals.length - JOURNAL_REMOVALS_KEPT;
    if (excess > 0) this.removalsFloor = this.removals.splice(0, excess).at(-1)!.rev;
  }

  private removedSince(namespace: string, since: number | undefined): string[] | null {
    if (since === undefined) return [];
    if (since < this.removalsFloor) return null;
    return this.removals.filter((r) => r.rev > since && (namespace === '*' || r.namespace === namespace)).map((r) => r.id);
  }

  private inNamespace(namespace: string): Slot[] {
    return namespace === '*' ? this.slots : this.slots.filter((s) => s.record.namespace === namespace);
  }

  async list(namespace: string, filter: JournalFilter = {}): Promise<JournalList> {
    let selected = this.inNamespace(namespace).filter((s) => (filter.since === undefined || s.rev > filter.since) && recordMatches(s.record, filter));
    if (filter.limit !== undefined) selected = selected.slice(Math.max(0, selected.length - filter.limit));
    return { entries: selected.map((s) => toEntry(s.record, s.rev)), rev: this.rev, removed: this.removedSince(namespace, filter.since) };
  }

  async get(namespace: string, id: string): Promise<JournalEntry | undefined> {
    const slot = this.inNamespace(namespace).find((s) => s.record.id === id);
    return slot && toEntry(slot.record, slot.rev);
  }

  async blob(namespace: string, id: string, kind: JournalBlobKind, index: number): Promise<{ bytes: Buffer; contentType: string } | undefined> {
    const record = this.inNamespace(namespace).find((s) => s.record.id === id)?.record;
    if (!record) return undefined;
    const blob = blobAt(record, kind, index);
    if (!blob?.buffer) return undefined;
    const format = (blob.meta as { format?: string | null }).format ?? '';
    // Unknown uploads are served as opaque bytes, never as the type the client declared.
    return { bytes: blob.buffer, contentType: mimeTypeOf(format) ?? 'application/octet-stream' };
  }

  async clear(namespace: string): Promise<number> {
    const gone = this.inNamespace(namespace);
    for (const slot of [...gone]) this.drop(slot);
    return gone.length;
  }

  /** Entries kept, all namespaces together. */
  get size(): number {
    return this.slots.length;
  }

  /** Bytes of uploads and outputs currently kept. */
  get bytes(): number {
    return this.heldByteCount;
  }
}

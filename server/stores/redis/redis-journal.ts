/**
 * The journal in Redis, shared by every replica: one order for all namespaces together (so
 * SANDBOX_JOURNAL_SIZE bounds them all, oldest dropped), a revision per change from one
 * counter (so `since` reads work whichever replica wrote, removals included), and bytes as
 * blobs released oldest-first past SANDBOX_JOURNAL_BYTES. Each change is one Lua script (redis-scripts.ts).
 */
import { mimeTypeOf } from '../../images/mime-types';
import { blobAt, recordMatches, toEntry, type JournalBlobKind, type JournalEntry, type JournalFilter, type JournalRecord } from '../journal-record';
import type { JournalList, JournalState } from '../state';
import { blobName, decodeRecord, encodeRecord } from './record-codec';
import type { RedisConnection } from './redis-connection';
import { keysOf, SCRIPTS } from './redis-scripts';

/** A safety net, not a bound: blobs of a prefix nobody uses any more vanish after a week. */
export const JOURNAL_BLOB_TTL_MS = 7 * 24 * 3600 * 1000;

export class RedisJournal implements JournalState {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly bounds: { maxEntries: number; maxBytes: number },
  ) {}

  async open(record: JournalRecord): Promise<void> {
    if (this.bounds.maxEntries === 0) return;
    await this.redis.run(SCRIPTS.journalOpen, [this.prefix, record.id, record.namespace, encodeRecord(record).json, String(this.bounds.maxEntries)]);
  }

  async commit(record: JournalRecord): Promise<void> {
    if (this.bounds.maxEntries === 0) return;
    const { json, blobs } = encodeRecord(record);
    await this.redis.run(SCRIPTS.journalCommit, [this.prefix, record.id, json, String(this.bounds.maxBytes), String(JOURNAL_BLOB_TTL_MS), ...blobs.flat()]);
  }

  async list(namespace: string, filter: JournalFilter = {}): Promise<JournalList> {
    const reply = await this.redis.run<[string, string[] | null, ...string[]]>(SCRIPTS.journalList, [this.prefix, namespace, filter.since === undefined ? '' : String(filter.since)]);
    const entries: JournalEntry[] = [];
    for (let i = 2; i + 2 < reply.length; i += 3) {
      const record = decodeRecord(reply[i] as string, Number(reply[i + 2]) > 0);
      if (recordMatches(record, filter)) entries.push(toEntry(record, Number(reply[i + 1])));
    }
    const limited = filter.limit === undefined ? entries : entries.slice(Math.max(0, entries.length - filter.limit));
    return { entries: limited, rev: Number(reply[0]), removed: reply[1] ?? null };
  }

  async get(namespace: string, id: string): Promise<JournalEntry | undefined> {
    const [json, rev, held, ns] = await this.redis.send<(string | null)[]>(['HMGET', keysOf(this.prefix).entry(id), 'json', 'rev', 'held', 'ns']);
    if (!json || (namespace !== '*' && ns !== namespace)) return undefined;
    return toEntry(decodeRecord(json, Number(held) > 0), Number(rev));
  }

  async blob(namespace: string, id: string, kind: JournalBlobKind, index: number): Promise<{ bytes: Buffer; contentType: string } | undefined> {
    const reply = await this.redis.run<[Buffer, Buffer] | null>(SCRIPTS.journalBlob, [this.prefix, namespace, id, blobName(kind, index)], true);
    if (!reply) return undefined;
    const record = decodeRecord(reply[0].toString('utf8'), true);
    const blob = blobAt(record, kind, index);
    const format = (blob?.meta as { format?: string | null } | undefined)?.format ?? '';
    // Unknown uploads are served as opaque bytes, never as the type the client declared.
    return { bytes: reply[1], contentType: mimeTypeOf(format) ?? 'application/octet-stream' };
  }

  async clear(namespace: string): Promise<number> {
    return Number(await this.redis.run(SCRIPTS.journalClear, [this.prefix, namespace]));
  }
}

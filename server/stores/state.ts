/**
 * The sandbox's state, per namespace, behind one interface with two backends: `memory` (in
 * process, the default) and `redis` (shared by replicas). Everything a request or a control
 * call changes goes through here; render caches do not (they are not state). Every method is
 * async so both backends fit; consuming an armed scenario is one atomic operation in both.
 * @see ../shared/DESIGN.md "State: per namespace, behind one interface"
 */
import type { ImageFormat } from '../images/types';
import type { FileListQuery, FileObject, NewUpload, StoredUpload } from './file-objects';
import type { JournalBlobKind, JournalEntry, JournalFilter, JournalRecord } from './journal-record';

/** The bounds every backend keeps (the config options of the same names). */
export interface StateOptions {
  readonly journalSize: number;
  readonly journalBytes: number;
  readonly maxStoredFiles: number;
  readonly maxStoredBytes: number;
  readonly urlTtlSeconds: number;
  readonly maxNamespaces: number;
  readonly namespaceIdleSeconds: number;
  readonly maxFiles: number;
  readonly maxFilesBytes: number;
  readonly filesTtlSeconds: number;
  /** Unix milliseconds now, for namespace activity; tests move it to expire namespaces. */
  readonly clockMs?: () => number;
  /** SANDBOX_NOW: frozen unix seconds for file objects' `created_at` and expiry (else clockMs). */
  readonly now?: number | null;
}

/** A request with no namespace belongs here: everything works as if namespaces did not exist. */
export const DEFAULT_NAMESPACE = 'default';

/** Reads (and the full reset) name every namespace at once by this. */
export const ALL_NAMESPACES = '*';

/** What a request offers to an armed scenario's `match`. */
export interface ScenarioCandidate {
  readonly model: string;
  readonly prompt: string;
}

/** Which requests an armed scenario applies to (all, when absent). */
export interface ScenarioMatch {
  /** Only requests for this model (the resolved one, or the default model). */
  readonly model?: string;
  /** Only requests whose prompt contains this text. */
  readonly prompt?: string;
}

export interface ArmedScenario {
  readonly id: string;
  readonly scenario: string;
  readonly times: number;
  readonly remaining: number;
  readonly match: ScenarioMatch | null;
}

/** Per-namespace defaults a test may set; null means "the sandbox's own" (config). */
export interface NamespaceSettings {
  readonly latencyMs: number | null;
  readonly seed: string | null;
}

export interface NamespaceSummary {
  readonly name: string;
  /** Unix milliseconds of the last request or control call in it. */
  readonly lastActiveAt: number;
  readonly requests: number;
  readonly armed: number;
}

/** A stored `data[].url` result. */
export interface StoredFile {
  readonly bytes: Buffer;
  readonly contentType: string;
  /** Unix milliseconds after which the file is gone. */
  readonly expiresAt: number;
}

export interface JournalList {
  readonly entries: JournalEntry[];
  /** The newest revision the backend has handed out: pass it back as `since` to read only changes. */
  readonly rev: number;
  /**
   * With `since`: the ids of entries removed after it (cleared, reset, dropped by the size
   * bound), so a copy kept up to date with `since` drops them too; null when `since` is older
   * than the removals the backend remembers (read the whole list again). Without: empty.
   */
  readonly removed: string[] | null;
}

export interface JournalState {
  /** Records a request that has just arrived (shown as in flight until committed). */
  open(record: JournalRecord): Promise<void>;
  /** Records the request as it ended, with its bytes; the oldest are dropped or released to stay in bounds. */
  commit(record: JournalRecord): Promise<void>;
  /** Entries of one namespace (or of all, with `'*'`), oldest first. */
  list(namespace: string, filter?: JournalFilter): Promise<JournalList>;
  get(namespace: string, id: string): Promise<JournalEntry | undefined>;
  /** The kept bytes of one blob (an upload, the mask, an output, a partial image), with the type to serve them as. */
  blob(namespace: string, id: string, kind: JournalBlobKind, index: number): Promise<{ bytes: Buffer; contentType: string } | undefined>;
  /** Forgets a namespace's entries (each removal takes a revision); returns how many there were. */
  clear(namespace: string): Promise<number>;
}

export interface ScenarioState {
  arm(namespace: string, scenario: string, times: number, match: ScenarioMatch | null): Promise<ArmedScenario>;
  list(namespace: string): Promise<ArmedScenario[]>;
  /** The scenario the request gets (one use spent, atomically), else undefined. */
  take(namespace: string, request: ScenarioCandidate): Promise<string | undefined>;
  /** Disarms a namespace's scenarios; returns how many were armed. */
  clear(namespace: string): Promise<number>;
}

export interface UrlFileState {
  /** Stores the bytes; returns the file's unguessable name and its expiry. */
  put(namespace: string, bytes: Buffer, format: ImageFormat): Promise<{ name: string; expiresAt: number }>;
  get(name: string): Promise<StoredFile | undefined>;
}

/** Files API objects (`POST /v1/files`), for `file_id` in JSON edits; bounded for all namespaces together. */
export interface FileObjectState {
  /** Stores an upload (dropping the oldest files beyond the bounds) and returns its object. */
  create(namespace: string, upload: NewUpload): Promise<FileObject>;
  /** A file of this namespace that has not expired. */
  retrieve(namespace: string, id: string): Promise<StoredUpload | undefined>;
  list(namespace: string, query: FileListQuery): Promise<{ data: FileObject[]; hasMore: boolean }>;
  /** Whether a file of this namespace was there to delete. */
  delete(namespace: string, id: string): Promise<boolean>;
}

export interface NamespaceState {
  /** Marks the namespace active now (its idle expiry starts again); the least recently active go beyond the bound. */
  touch(namespace: string): Promise<void>;
  list(): Promise<NamespaceSummary[]>;
  settings(namespace: string): Promise<NamespaceSettings>;
  updateSettings(namespace: string, patch: Partial<NamespaceSettings>): Promise<NamespaceSettings>;
}

/** One outcome's tally: how many times clients received it, and which variants of it they saw. */
export interface OutcomeCount {
  readonly count: number;
  /** Variant (its text, e.g. an error's status, type, code and param as JSON) -> times seen; at most MAX_OUTCOME_VARIANTS. */
  readonly variants: Readonly<Record<string, number>>;
}

/** Outcome id -> its tally; outcomes never received are absent. */
export type CoverageCounts = Readonly<Record<string, OutcomeCount>>;

/** Variants kept per outcome: a new one past it still counts in `count`, it is just not listed. */
export const MAX_OUTCOME_VARIANTS = 8;

/**
 * Which outcomes of the contract each namespace's clients received (outcome coverage). The
 * caller records only the contract's outcome ids, so a tally never holds more entries than
 * there are outcomes (times MAX_OUTCOME_VARIANTS), whatever the traffic.
 */
export interface CoverageState {
  /** Counts one outcome received in a namespace, both in the namespace and in the run's tally (`'*'`). */
  record(namespace: string, outcome: string, variant?: string): Promise<void>;
  /**
   * A namespace's tally since it started or was last reset; with `'*'`, every namespace's since
   * the state started or was last reset as a whole (a namespace's own reset or expiry leaves it).
   */
  counts(namespace: string): Promise<CoverageCounts>;
}

export interface SandboxState {
  readonly backend: 'memory' | 'redis';
  readonly journal: JournalState;
  readonly scenarios: ScenarioState;
  readonly urlFiles: UrlFileState;
  readonly fileObjects: FileObjectState;
  readonly namespaces: NamespaceState;
  readonly coverage: CoverageState;
  /** One namespace back to its start: journal, armed scenarios, url files, file objects, settings, coverage. */
  reset(namespace: string): Promise<void>;
  /** Every namespace back to the start, the run's coverage tally too. */
  resetAll(): Promise<void>;
  /** Resolves when the backend can serve; rejects (with why) when it cannot. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

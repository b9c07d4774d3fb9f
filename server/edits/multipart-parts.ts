/**
 * Every multipart part is answered for. busboy (under multer) skips a part whose headers it
 * cannot read (a malformed Content-Disposition, a filename it cannot decode) without a word,
 * so an edit would quietly go ahead without, say, its mask. This watches the raw body for each
 * part's header block (found by its boundary, as busboy itself does) and asks
 * busboy, part by part, whether it can place it; the first one it cannot is a 400 naming it.
 */
import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { SandboxError } from '../errors/sandbox-error';
import { errors } from '../errors/catalogue';

/** A part's header block is short; anything longer is cut for the check (busboy bounds it too). */
const MAX_HEADER_BYTES = 16 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Collects the raw header block of every part as the body streams past. The boundaries are
 * found with Buffer#indexOf (native) rather than a second streamsearch: this reader sees every
 * byte of every upload beside multer's own, and in JavaScript it cost about as much as multer's
 * whole parse. The only stream logic is the seam: a boundary split between two chunks.
 */
export class PartHeaderScanner {
  readonly headers: Buffer[] = [];
  private readonly boundary: Buffer;
  /** The end of the bytes seen so far that could still start a boundary (shorter than one). */
  private carry: Buffer;
  /** Bytes after the last boundary, until its header block ends (or is known to be the close). */
  private pending: Buffer | null = null;

  constructor(boundary: string) {
    this.boundary = Buffer.from(`\r\n--${boundary}`);
    // The body's first boundary has no CRLF before it: supply one so it matches too.
    this.carry = Buffer.from('\r\n');
  }

  push(chunk: Buffer): void {
    const width = this.boundary.length;
    // A chunk shorter than a boundary is joined to the carry and scanned with it (a boundary may span three chunks).
    const data = chunk.length < width ? Buffer.concat([this.carry, chunk]) : chunk;
    let from = 0;
    if (data === chunk && this.carry.length > 0) {
      // A boundary that starts in the carry ends within its first width - 1 bytes of the chunk;
      // two cannot start there (the carry is shorter than one), so one look does.
      const seam = Buffer.concat([this.carry, chunk.subarray(0, width - 1)]);
      const at = seam.indexOf(this.boundary);
      if (at >= 0 && at < this.carry.length) {
        this.collect(this.carry.subarray(0, at));
        this.onBoundary();
        from = at + width - this.carry.length;
      } else {
        this.collect(this.carry);
      }
    }
    for (let at = data.indexOf(this.boundary, from); at >= 0; at = data.indexOf(this.boundary, from)) {
      this.collect(data.subarray(from, at));
      this.onBoundary();
      from = at + width;
    }
    // Hold back what could be the start of a boundary that the next chunk completes.
    const keepFrom = Math.max(from, data.length - (width - 1));
    this.collect(data.subarray(from, keepFrom));
    this.carry = Buffer.from(data.subarray(keepFrom));
  }

  private onBoundary(): void {
    this.finishPending();
    this.pending = Buffer.alloc(0);
  }

  private collect(bytes: Buffer): void {
    const pending = this.pending;
    if (!pending || bytes.length === 0 || pending.length >= MAX_HEADER_BYTES + 2) return;
    this.pending = Buffer.concat([pending, bytes.subarray(0, MAX_HEADER_BYTES + 2 - pending.length)]);
    // `--` right after the boundary closes the body; CRLF starts a part, whose headers end at a blank line.
    if (this.pending.length >= 2 && this.pending.subarray(0, 2).toString('latin1') === '--') this.pending = null;
    else if (this.pending.indexOf(HEADER_END) >= 0) this.finishPending();
  }

  private finishPending(): void {
    const pending = this.pending;
    this.pending = null;
    if (!pending || pending.length < 2 || pending.subarray(0, 2).toString('latin1') === '--') return;
    const end = pending.indexOf(HEADER_END);
    this.headers.push(pending.subarray(2, end >= 0 ? end : pending.length));
  }
}

/**
 * What busboy made of each header block seen, by its text: a pure answer, and clients send the
 * same few headers (`name="prompt"`, `name="image"; filename=…`) request after request, so most
 * checks cost a lookup instead of a parser. Bounded: emptied when it reaches MEMO_SIZE.
 */
const placedMemo = new Map<string, boolean>();
const MEMO_SIZE = 512;

async function placedBy(header: Buffer): Promise<boolean> {
  const key = header.toString('latin1');
  const known = placedMemo.get(key);
  if (known !== undefined) return known;
  const placed = await parsedBy(header);
  if (placedMemo.size >= MEMO_SIZE) placedMemo.clear();
  placedMemo.set(key, placed);
  return placed;
}

/** Whether busboy places a part with these headers (as a field or a file), and under what name. */
function parsedBy(header: Buffer): Promise<boolean> {
  const boundary = 'sandbox-part-check';
  const parser = busboy({ headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  let placed = false;
  parser.on('field', () => (placed = true));
  parser.on('file', (_name, stream) => {
    placed = true;
    stream.resume();
  });
  return new Promise((resolve) => {
    parser.on('close', () => resolve(placed));
    parser.on('error', () => resolve(false));
    Readable.from([Buffer.concat([Buffer.from(`--${boundary}\r\n`), header, Buffer.from(`\r\n\r\n\r\n--${boundary}--\r\n`)])]).pipe(parser);
  });
}

/** The part's name, if its header says one plainly enough to quote. */
function nameOf(header: string): string | null {
  return /\bname="([^"\r\n]{1,100})"/i.exec(header)?.[1] ?? null;
}

/** The first part busboy would skip, as the 400 naming it; undefined when every part is placed. */
export async function firstUnreadablePart(headers: readonly Buffer[]): Promise<SandboxError | undefined> {
  for (const [index, header] of headers.entries()) {
    if (await placedBy(header)) continue;
    const text = header.toString('latin1');
    const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    return errors.unreadablePart(index + 1, nameOf(text), shown.replace(/\r\n/g, ' | '));
  }
  return undefined;
}

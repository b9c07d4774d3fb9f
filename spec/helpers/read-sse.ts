/**
 * Reads server-sent events the way the SSE spec (and openai-node's decoder) does, written
 * independently of the server's writer: lines end in \n, \r\n or \r; `:` lines are comments;
 * `data:` lines are joined with \n; an event is dispatched on a blank line.
 */

export interface SseMessage {
  /** The `event:` name, or null when the event had none. */
  readonly event: string | null;
  /** The raw `data:` text. */
  readonly data: string;
}

/** Incremental reader: feed it text as it arrives, take the events completed so far. */
export class SseReader {
  private buffer = '';
  private event: string | null = null;
  private data: string[] = [];

  /** Adds received text; returns the events that a blank line completed. */
  push(text: string): SseMessage[] {
    this.buffer += text;
    const out: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  /** Text after the last complete line (an unterminated event is never dispatched). */
  get pending(): string {
    return this.buffer;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      if (this.data.length === 0 && this.event === null) return undefined;
      const message = { event: this.event, data: this.data.join('\n') };
      this.event = null;
      this.data = [];
      return message;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    return undefined;
  }
}

/** Every complete event of a whole body. */
export function readSse(body: string): SseMessage[] {
  return new SseReader().push(body);
}

/** A streamed event with its data parsed as JSON. */
export interface JsonEvent {
  readonly event: string | null;
  readonly data: Record<string, unknown>;
}

/** Every complete event of a whole body, data parsed as JSON (throws on anything else, e.g. `[DONE]`). */
export function readJsonEvents(body: string): JsonEvent[] {
  return readSse(body).map((m) => ({ event: m.event, data: JSON.parse(m.data) as Record<string, unknown> }));
}

/** What an SDK stream yielded before it ended: each event's type, and the error it ended with (undefined when it completed). */
export async function drainSdkStream(stream: AsyncIterable<{ type: string }>): Promise<{ seen: string[]; error: unknown }> {
  const seen: string[] = [];
  try {
    for await (const event of stream) seen.push(event.type);
    return { seen, error: undefined };
  } catch (error) {
    return { seen, error };
  }
}

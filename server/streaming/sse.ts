/**
 * Server-sent events, framed as the live API frames them: `event: <type>`, one `data:` line
 * of JSON, a blank line, and no `[DONE]`. Formatting is pure; the writer respects
 * back-pressure and a client that left, and cancels its own timers when the socket closes.
 * @see ../shared/reference/streaming.md
 */
import type { ServerResponse } from 'node:http';
import type { SandboxError } from '../errors/sandbox-error';

export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** One event as bytes. JSON never holds a raw newline, so one `data:` line suffices. */
export function formatEvent(event: SseEvent): string {
  if (/[\r\n]/.test(event.event)) throw new Error('an SSE event name cannot contain a newline');
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * The event that ends a stream which failed after its headers went out. Both official SDKs
 * raise an APIError for an `error` event whose data holds an `error` object.
 * @see openapi.yaml#/components/schemas/ImageEditStreamErrorEvent
 */
export function errorEvent(error: SandboxError, requestId?: string): SseEvent {
  return { event: 'error', data: { type: 'error', ...error.toBody(requestId) } };
}

/** An open event stream on one response. */
export interface SseStream {
  /** True once the connection closed or the stream ended: nothing more is written. */
  readonly closed: boolean;
  /** Aborted when the connection closes, so waits and work can stop early. */
  readonly signal: AbortSignal;
  /**
   * Writes one event; resolves when the socket has taken it, or at once when the client left.
   * True when the event was written to the connection (false: the client had gone).
   */
  write(event: SseEvent): Promise<boolean>;
  /** Waits `ms` between events; resolves early, with its timer cleared, when the client leaves. */
  pause(ms: number): Promise<void>;
  /** Ends the response after the last event. */
  end(): void;
  /** Ends the stream with an `error` event (the status code can no longer change); resolves to it once written, else null. */
  fail(error: SandboxError): Promise<SseEvent | null>;
}

/** Sends the 200 and SSE headers at once and returns the writer for the events (`requestId` names the request in error texts). */
export function openStream(res: ServerResponse, requestId?: string): SseStream {
  const closing = new AbortController();
  let ended = false;
  res.once('close', () => closing.abort());

  res.statusCode = 200;
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('connection', 'keep-alive');
  // Reverse proxies (nginx) would otherwise buffer the events into one body.
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();

  const isClosed = () => ended || closing.signal.aborted || res.destroyed || res.writableEnded;

  const write = (event: SseEvent): Promise<boolean> => {
    if (isClosed()) return Promise.resolve(false);
    const bytes = formatEvent(event);
    return new Promise((resolve) => {
      if (res.write(bytes)) return resolve(true);
      const done = () => {
        res.off('drain', done);
        closing.signal.removeEventListener('abort', done);
        resolve(true);
      };
      res.once('drain', done);
      closing.signal.addEventListener('abort', done, { once: true });
    });
  };

  const pause = (ms: number): Promise<void> => {
    if (ms <= 0 || isClosed()) return Promise.resolve();
    return new Promise((resolve) => {
      const stop = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        closing.signal.removeEventListener('abort', stop);
        resolve();
      }, ms);
      closing.signal.addEventListener('abort', stop, { once: true });
    });
  };

  const end = (): void => {
    if (isClosed()) return;
    ended = true;
    res.end();
  };

  return {
    get closed() {
      return isClosed();
    },
    signal: closing.signal,
    write,
    pause,
    end,
    fail: async (error) => {
      const event = errorEvent(error, requestId);
      const written = await write(event);
      end();
      return written ? event : null;
    },
  };
}

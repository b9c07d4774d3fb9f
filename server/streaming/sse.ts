/**
 * Server-sent events, framed as the live API frames them: `event: <type>`, one `data:` line
 * of JSON, a blank line. Formatting is pure; writing respects back-pressure and a closed
 * connection.
 */
import type { Response } from 'express';

export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** One event as bytes. JSON never holds a raw newline, so one `data:` line suffices. */
export function formatEvent(event: SseEvent): string {
  if (/[\r\n]/.test(event.event)) throw new Error('an SSE event name cannot contain a newline');
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export function openStream(res: Response): void {
  res.status(200);
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('connection', 'keep-alive');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
}

/** Writes one event; resolves when the socket has taken it (or at once when the client left). */
export function writeEvent(res: Response, event: SseEvent): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    if (res.write(formatEvent(event))) resolve();
    else {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    }
  });
}

/**
 * The request body's bytes as sent, for the proxy to forward: a second reader of the chunks the
 * sandbox's body readers (express.json, multer) read. It must run right before them, in the
 * same tick: its `data` listener starts the flow on the next tick, and a reader attached
 * later would miss chunks (the readers after it attach synchronously, as multipart-parts'
 * scanner relies on too). Bounded: past `maxBytes` nothing is kept and the body counts as
 * too large.
 */
import type { RequestHandler, Response } from 'express';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The captured body: its bytes, or null once it grew past the bound. */
      capturedBody?: () => Buffer | null;
    }
  }
}

export function captureBody(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overflow = false;
    const keep = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        overflow = true;
        chunks.length = 0;
        req.off('data', keep);
      } else chunks.push(chunk);
    };
    req.on('data', keep);
    // Drained leftovers of a refused body are not worth keeping.
    res.once('close', () => req.off('data', keep));
    res.locals.capturedBody = () => (overflow ? null : Buffer.concat(chunks));
    next();
  };
}

/** The body captured for this request (empty when none was). */
export function capturedBodyOf(res: Response): Buffer | null {
  return res.locals.capturedBody ? res.locals.capturedBody() : Buffer.alloc(0);
}

/**
 * Every response carries an `x-request-id` (both SDKs read it into `error.requestID` /
 * `request_id`) and the `openai-version` header the live API sends.
 */
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

declare global {
  // Typed res.locals: each module declares the locals it owns.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** `req_…`, also sent as `x-request-id`. */
      requestId: string;
      /** performance.now() when the request arrived. */
      startedAt: number;
    }
  }
}

export function newRequestId(): string {
  return `req_${randomBytes(16).toString('hex')}`;
}

/** The first middleware of every route: the request id, its start time, and the live headers. */
export const assignRequestId: RequestHandler = (_req, res, next) => {
  const requestId = newRequestId();
  res.locals.requestId = requestId;
  res.locals.startedAt = performance.now();
  res.setHeader('x-request-id', requestId);
  res.setHeader('openai-version', '2020-10-01');
  next();
};

/**
 * The first step of every request: a request id and the headers the live API sends on
 * every response; then, for /v1, the Bearer check (before any body is read).
 */
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { SandboxConfig } from '../config';
import { errors } from '../errors/catalogue';

export function newRequestId(): string {
  return `req_${randomBytes(16).toString('hex')}`;
}

/** `x-request-id` (read by both SDKs) and `openai-version` on every response, errors included. */
export const assignRequestId: RequestHandler = (_req, res, next) => {
  const requestId = newRequestId();
  res.locals.requestId = requestId;
  res.locals.startedAt = performance.now();
  res.setHeader('x-request-id', requestId);
  res.setHeader('openai-version', '2020-10-01');
  next();
};

/** The key of a well-formed `Authorization: Bearer <key>` header, else undefined. */
export function bearerKey(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

/** Missing or malformed header: the live "You didn't provide an API key" 401; unknown key: invalid_api_key. */
export function authenticate(config: SandboxConfig): RequestHandler {
  const accepted = new Set(config.apiKeys);
  return (req, _res, next) => {
    const key = bearerKey(req.headers.authorization);
    if (key === undefined) return next(errors.missingApiKey());
    if (accepted.size > 0 && !accepted.has(key)) return next(errors.incorrectApiKey(key));
    next();
  };
}

import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errors } from './catalogue';
import { isSandboxError, SandboxError } from './sandbox-error';

/** Express 5 body-parser errors carry `type` and `status`; turn them into the envelope. */
function fromBodyParserError(err: unknown): SandboxError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.parse.failed') return errors.malformedJson();
  if (type === 'entity.too.large') return errors.uploadTooLarge('body', Number((err as { limit?: number }).limit ?? 0));
  return undefined;
}

/** Unknown failures are logged here, never sent: a client sees only the 500 envelope. */
export type ErrorLogger = (err: unknown, requestId: string | undefined) => void;

/** The only place that renders an error: the OpenAI envelope, always with x-request-id. */
export function errorMiddleware(logUnexpected: ErrorLogger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = res.locals.requestId as string | undefined;
    let sandboxError: SandboxError;
    if (isSandboxError(err)) sandboxError = err;
    else {
      sandboxError = fromBodyParserError(err) ?? errors.internal();
      if (sandboxError.status >= 500) logUnexpected(err, requestId);
    }
    if (res.headersSent) {
      // A stream already started: the streaming writer owns the ending; just close.
      res.end();
      return;
    }
    // Unread request bytes (an early 401, an oversize part) are drained so keep-alive survives.
    if (!req.complete) req.resume();
    res.status(sandboxError.status);
    for (const [name, value] of Object.entries(sandboxError.headers)) res.setHeader(name, value);
    res.json(sandboxError.toBody());
  };
}

/** Unmatched routes and methods: the live API's 404 envelope. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(errors.invalidUrl(req.method, req.path));
};

import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { errors } from './catalogue';
import { isSandboxError, SandboxError } from './sandbox-error';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The failure this request ended with, as answered here: what the journal records. */
      outcomeError?: SandboxError;
    }
  }
}

/** The JSON and urlencoded readers' own bound (express.json / express.urlencoded default). */
const URLENCODED_PARAMETER_LIMIT = 1000;

/**
 * body-parser and raw-body errors (http-errors with `type`, `status` and `expose`) -> the
 * envelope. Every 4xx they raise is the client's doing: a bad charset, encoding or length.
 */
function fromBodyParserError(err: unknown): SandboxError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status, expose, message, limit, charset, encoding, code } = err as {
    type?: unknown;
    code?: unknown;
    status?: unknown;
    expose?: unknown;
    message?: unknown;
    limit?: unknown;
    charset?: unknown;
    encoding?: unknown;
  };
  switch (type) {
    case 'entity.parse.failed':
      return errors.malformedJson();
    case 'entity.too.large':
      return errors.requestBodyTooLarge(Number(limit ?? 0));
    case 'parameters.too.many':
      return errors.tooManyParameters(URLENCODED_PARAMETER_LIMIT);
    case 'charset.unsupported':
      return errors.unsupportedCharset(String(charset ?? '').toUpperCase());
    case 'encoding.unsupported':
      return errors.unsupportedContentEncoding(String(encoding ?? ''));
    default:
      // request.aborted, request.size.invalid, a broken gzip stream: all exposed 4xx texts.
      if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
        // zlib's own texts ("incorrect header check") mean little to a client.
        if (typeof code === 'string' && code.startsWith('Z_')) return errors.unreadableBody('it does not decompress as its Content-Encoding says');
        return errors.unreadableBody(String(message).replace(/\.$/, '').toLowerCase());
      }
      return undefined;
  }
}

/** Unknown failures are logged here, never sent: a client sees only the 500 envelope. */
export type ErrorLogger = (err: unknown, requestId: string | undefined) => void;

/** Told of every error answered (or ended a stream), before it is written: outcome coverage counts it. */
export type ErrorAnswered = (res: Response, error: SandboxError) => void;

/**
 * The only place that turns a failure into a response: the OpenAI envelope, always with
 * x-request-id. It also records the outcome (`res.locals.outcomeError`) for the journal, and
 * tells `onAnswered` (outcome coverage).
 */
export function errorMiddleware(logUnexpected: ErrorLogger, onAnswered?: ErrorAnswered): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = res.locals.requestId as string | undefined;
    let sandboxError: SandboxError;
    if (isSandboxError(err)) sandboxError = err;
    else {
      sandboxError = fromBodyParserError(err) ?? errors.internal();
      if (sandboxError.status >= 500) logUnexpected(err, requestId);
    }
    res.locals.outcomeError = sandboxError;
    onAnswered?.(res, sandboxError);
    if (res.headersSent) {
      // A stream already started: the streaming writer sent the error event; just close.
      res.end();
      return;
    }
    // Unread request bytes (an early 401, an oversize part) are drained so keep-alive survives.
    if (!req.complete) req.resume();
    res.status(sandboxError.status);
    for (const [name, value] of Object.entries(sandboxError.headers)) res.setHeader(name, value);
    res.json(sandboxError.toBody(requestId));
  };
}

/** How an unmatched route is answered: a profile's `unknownUrlAnswer`. */
export type UnknownUrlAnswer = 'envelope' | 'empty-404';

/**
 * Unmatched routes and methods: the "Invalid URL" envelope, or the live API's empty 404 (never
 * for the sandbox's own `/__sandbox/` surface, whose callers need to be told what they got wrong).
 */
export function notFound(answer: UnknownUrlAnswer): RequestHandler {
  const empty = answer === 'empty-404';
  return (req, res, next) => {
    if (!empty || req.path.startsWith('/__sandbox/')) {
      next(errors.invalidUrl(req.method, req.path));
      return;
    }
    if (!req.complete) req.resume();
    res.status(404).setHeader('x-content-type-options', 'nosniff');
    res.end();
  };
}

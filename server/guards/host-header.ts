/**
 * HTTP/1.1 requires a Host header (RFC 9112 §3.2). Node's own check answers a bare 400 with no
 * body, so the server lets such requests in (`requireHostHeader: false`) and this answers them
 * with the envelope and an `x-request-id` instead. HTTP/1.0 needs none and is served as before.
 */
import type { RequestHandler } from 'express';
import { errors } from '../errors/catalogue';

export const requireHostHeader: RequestHandler = (req, _res, next) => {
  // An empty Host is refused too, as Node refused it.
  if (req.httpVersion === '1.1' && !req.headers.host) throw errors.missingHostHeader();
  next();
};

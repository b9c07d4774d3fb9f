/**
 * SANDBOX_ADMIN_TOKEN: when set, every /__sandbox/* route mounted after this guard needs
 * `Authorization: Bearer <token>`. Compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { errors } from '../errors/catalogue';
import { authorizationKey } from '../http/authorization-key';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function requireAdminToken(token: string | null): RequestHandler {
  if (token === null) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, _res, next) => {
    const sent = authorizationKey(req.headers.authorization);
    if (sent === undefined || !timingSafeEqual(digest(sent), expected)) throw errors.adminTokenRequired();
    next();
  };
}

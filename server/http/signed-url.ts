/**
 * Signed `data[].url`s: the file name, an expiry and an HMAC-SHA256 of both with one secret
 * (SANDBOX_URL_SECRET, or a random one per process). Any replica holding the secret accepts
 * any replica's url; a url whose name or expiry was changed, or whose expiry has passed, is
 * refused before any state is read. Both backends' routes use this one module.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface UrlSigner {
  /** The query string (`expires=…&signature=…`) that lets `name` be fetched until `expiresAtMs`. */
  sign(name: string, expiresAtMs: number): string;
  /** `valid`, `expired` (signed, but past its expiry) or `invalid` (missing, malformed or tampered). */
  check(name: string, expires: unknown, signature: unknown, nowMs?: number): 'valid' | 'expired' | 'invalid';
}

/** base64url of 32 bytes. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const EXPIRES = /^\d{1,12}$/;

export function createUrlSigner(secret: string | null): UrlSigner {
  // Without a configured secret, one process's own urls are all it must accept.
  const key = secret === null ? randomBytes(32) : Buffer.from(secret, 'utf8');
  const mac = (name: string, expires: string) => createHmac('sha256', key).update(`${name}\n${expires}`).digest();
  return {
    sign(name, expiresAtMs) {
      const expires = String(Math.ceil(expiresAtMs / 1000));
      return `expires=${expires}&signature=${mac(name, expires).toString('base64url')}`;
    },
    check(name, expires, signature, nowMs = Date.now()) {
      if (typeof expires !== 'string' || typeof signature !== 'string' || !EXPIRES.test(expires) || !SIGNATURE.test(signature)) return 'invalid';
      if (!timingSafeEqual(mac(name, expires), Buffer.from(signature, 'base64url'))) return 'invalid';
      return Number(expires) * 1000 < nowMs ? 'expired' : 'valid';
    },
  };
}

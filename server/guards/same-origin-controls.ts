/**
 * Cross-site requests cannot change the sandbox. A web page can send a "simple" POST anywhere
 * without a CORS preflight (`fetch(url, {method: 'POST', mode: 'no-cors'})`), so a page on
 * another origin could reset a developer's sandbox. Browsers say where a request comes from
 * (`Sec-Fetch-Site`, `Origin`); a state-changing `/__sandbox/*` request that comes from a
 * browser must come from the sandbox's own origin and must not be a simple request (JSON, or
 * an `x-sandbox-*` header, or a method that needs a preflight). Requests that no browser sent
 * (curl, SDKs, test code) carry neither header and pass as before.
 */
import type { Request, RequestHandler } from 'express';
import { errors } from '../errors/catalogue';

const CHANGES_STATE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameOriginAs(origin: string, req: Request): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false; // `null` (sandboxed frames, file:) and anything unparsable
  }
}

/** Why a browser's request may not change state, or undefined when it may. */
function crossSiteReason(req: Request): string | undefined {
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  if (site === undefined && origin === undefined) return undefined;
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is '${site}'`;
  if (origin !== undefined && !sameOriginAs(origin, req)) return `Origin '${origin}' is not this sandbox`;
  const simple = req.method === 'POST' && !req.is('application/json') && !Object.keys(req.headers).some((h) => h.startsWith('x-sandbox-'));
  if (simple) return 'a form-like POST (send JSON, or an x-sandbox-* header)';
  return undefined;
}

export const refuseCrossSiteChanges: RequestHandler = (req, _res, next) => {
  if (!CHANGES_STATE.has(req.method)) return next();
  const reason = crossSiteReason(req);
  if (reason) throw errors.crossSiteRefused(req.method, req.path, reason);
  next();
};

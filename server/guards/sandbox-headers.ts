/**
 * The `x-sandbox-*` request headers the sandbox reads. Any other one is refused where sandbox
 * headers are read (edits, the Files API, control calls): a misspelt control
 * (`x-sandbox-scenarios`) would otherwise pass unnoticed and the test would check nothing.
 * The official SDKs send `x-stainless-*`, never `x-sandbox-*`.
 */
import type { Request, RequestHandler } from 'express';
import { errors } from '../errors/catalogue';

export const NAMESPACE_HEADER = 'x-sandbox-namespace';
export const SCENARIO_HEADER = 'x-sandbox-scenario';
export const LATENCY_HEADER = 'x-sandbox-latency-ms';

/** Every one openapi.yaml documents (a test holds the two together). */
export const SANDBOX_HEADERS: readonly string[] = [LATENCY_HEADER, NAMESPACE_HEADER, SCENARIO_HEADER];

/** Throws for the first `x-sandbox-*` header that is not one of SANDBOX_HEADERS. */
export function checkSandboxHeaders(req: Request): void {
  // Node gives header names in lower case.
  const unknown = Object.keys(req.headers).find((name) => name.startsWith('x-sandbox-') && !SANDBOX_HEADERS.includes(name));
  if (unknown !== undefined) throw errors.unknownSandboxHeader(unknown, SANDBOX_HEADERS);
}

export const refuseUnknownSandboxHeaders: RequestHandler = (req, _res, next) => {
  checkSandboxHeaders(req);
  next();
};

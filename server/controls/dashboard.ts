/**
 * GET /__sandbox/: a page to work in the journal, because images are easier to check by eye
 * than by bytes. Plain files in `dashboard/` (ES modules, no build step), read from the package
 * root so `server/` (tests) and `dist/` (npm start, the image) serve the same ones. The page
 * itself holds no data: it reads the journal API, so it sits before the admin-token guard and
 * sends the token itself.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Router, type Response } from 'express';
import { routeTable } from '../http/route-table';
import { findSpecPath, type Contract } from '../contract/spec';
import { errors } from '../errors/catalogue';

/** The content type of each kind of file the page is made of. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page's files, as openapi.yaml lists them (the `asset` enum): the only names served. */
export function dashboardAssets(contract: Contract): ReadonlyMap<string, string> {
  const paths = contract.document.paths as Record<string, { get?: { parameters?: { name?: string; schema?: { enum?: unknown } }[] } }>;
  const names = paths['/__sandbox/dashboard/{asset}']?.get?.parameters?.find((p) => p.name === 'asset')?.schema?.enum;
  if (!Array.isArray(names)) throw new Error('openapi.yaml lists no dashboard assets (GET /__sandbox/dashboard/{asset}, enum of `asset`)');
  return new Map(names.map((name) => [String(name), CONTENT_TYPES[path.extname(String(name))] ?? 'application/octet-stream']));
}

/** Nothing leaves the sandbox's own origin: no CDN, no fonts, no telemetry. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:", // data: only for the empty favicon
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the page's files live: beside openapi.yaml, whichever build runs. */
export function dashboardDir(): string {
  return path.join(path.dirname(findSpecPath()), 'server', 'controls', 'dashboard');
}

async function sendAsset(res: Response, name: string, contentType: string): Promise<void> {
  const bytes = await fs.readFile(path.join(dashboardDir(), name));
  res.setHeader('content-type', contentType);
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('cache-control', 'no-cache');
  res.end(bytes);
}

export function dashboardRouter(contract: Contract): Router {
  const assets = dashboardAssets(contract);
  const router = routeTable();
  router.get('/__sandbox/', async (_req, res) => {
    await sendAsset(res, 'index.html', CONTENT_TYPES['.html']!);
  });
  router.get('/__sandbox/dashboard/:asset', async (req, res) => {
    const name = String(req.params.asset);
    const contentType = assets.get(name);
    // The usual 404 here, not the admin guard's 401 further down: these files are public.
    if (!contentType) throw errors.invalidUrl(req.method, req.path);
    await sendAsset(res, name, contentType);
  });
  return router;
}

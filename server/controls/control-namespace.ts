/**
 * The namespace a control call acts on: its `x-sandbox-namespace` header, else `?namespace=`,
 * else the default one. `*` (every namespace) is for reads and the full reset only.
 */
import type { Request, RequestHandler, Response } from 'express';
import { errors } from '../errors/catalogue';
import { checkNamespace, NAMESPACE_HEADER } from '../stores/namespace';
import { ALL_NAMESPACES, DEFAULT_NAMESPACE } from '../stores/state';

export { ALL_NAMESPACES };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The namespace a /__sandbox/* call names (ALL_NAMESPACES for "every one"); unset when it names none. */
      controlNamespace?: string;
    }
  }
}

function namedIn(req: Request): string | undefined {
  const header = req.get(NAMESPACE_HEADER)?.trim();
  if (header) return header === ALL_NAMESPACES ? header : checkNamespace(header, { header: NAMESPACE_HEADER });
  const query = req.query.namespace;
  if (query === undefined) return undefined;
  if (typeof query !== 'string') throw errors.invalidQueryParameter('namespace', 'expected a single value');
  return query === ALL_NAMESPACES ? query : checkNamespace(query, { query: 'namespace' });
}

export const readControlNamespace: RequestHandler = (req, res, next) => {
  const named = namedIn(req);
  if (named !== undefined) res.locals.controlNamespace = named;
  next();
};

/** The one namespace a call acts on; `*` is refused where one namespace is needed. */
export function oneNamespace(res: Response): string {
  const name = res.locals.controlNamespace ?? DEFAULT_NAMESPACE;
  if (name === ALL_NAMESPACES) throw errors.invalidControlValue('namespace', "'*' reads every namespace; this call changes one, so name it");
  return name;
}

/** A namespace or `*`, for reads. */
export function readNamespace(res: Response): string {
  return res.locals.controlNamespace ?? DEFAULT_NAMESPACE;
}

/** For a lookup by request id (unique across namespaces): the one named, else any. */
export function idNamespace(res: Response): string {
  return res.locals.controlNamespace ?? ALL_NAMESPACES;
}

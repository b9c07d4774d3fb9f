/**
 * Namespace names: where a request's namespace comes from (the `x-sandbox-namespace` header,
 * or the Bearer key when SANDBOX_NAMESPACE_FROM=api-key) and which names are valid. A request
 * with neither belongs to the default namespace.
 */
import { createHash } from 'node:crypto';
import { errors } from '../errors/catalogue';
import { NAMESPACE_HEADER } from '../guards/sandbox-headers';
import { DEFAULT_NAMESPACE } from './state';

export { NAMESPACE_HEADER };

/** Printable, short, and safe in a Redis key, a URL query and a file name. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const EXPECTED = '1 to 64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

export function isNamespaceName(name: string): boolean {
  return NAME.test(name);
}

/** The namespace of a Bearer key: a digest, so the key itself never shows in a name. */
export function namespaceForApiKey(key: string): string {
  return `key-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** Where a name came from, so that its error names that place: a header, a control call's query, or an embedder's argument. */
export type NamespaceSource = { readonly header: string } | { readonly query: string } | { readonly argument: string };

/** A name given by a client, checked. */
export function checkNamespace(name: string, source: NamespaceSource): string {
  if (isNamespaceName(name)) return name;
  if ('header' in source) throw errors.invalidSandboxHeader(source.header, name, EXPECTED);
  const problem = `expected ${EXPECTED}, but got '${name}' instead`;
  throw 'query' in source ? errors.invalidQueryParameter(source.query, problem) : errors.invalidControlValue(source.argument, problem);
}

/** An edit request's namespace: its header, else (api-key mode) its key's, else the default. */
export function namespaceOfRequest(header: string | undefined, apiKey: string, from: 'header' | 'api-key'): string {
  const named = header?.trim();
  if (named) return checkNamespace(named, { header: NAMESPACE_HEADER });
  return from === 'api-key' ? namespaceForApiKey(apiKey) : DEFAULT_NAMESPACE;
}

/**
 * Namespace names: where a request's namespace comes from (the `x-sandbox-namespace` header,
 * or the Bearer key when SANDBOX_NAMESPACE_FROM=api-key) and which names are valid. A request
 * with neither belongs to the default namespace.
 */
import { createHash } from 'node:crypto';
import { errors } from '../errors/catalogue';
import { DEFAULT_NAMESPACE } from './state';

export const NAMESPACE_HEADER = 'x-sandbox-namespace';

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

/** A name given by a client (header or query), checked; the error names where it came from. */
export function checkNamespace(name: string, source: string): string {
  if (!isNamespaceName(name)) throw errors.invalidSandboxHeader(source, name, EXPECTED);
  return name;
}

/** An edit request's namespace: its header, else (api-key mode) its key's, else the default. */
export function namespaceOfRequest(header: string | undefined, apiKey: string, from: 'header' | 'api-key'): string {
  const named = header?.trim();
  if (named) return checkNamespace(named, NAMESPACE_HEADER);
  return from === 'api-key' ? namespaceForApiKey(apiKey) : DEFAULT_NAMESPACE;
}

/**
 * The API key a request carries, read the same way by the API's auth and the admin-token guard:
 * `Authorization: Bearer <key>`, or Basic auth with a blank username and the key as password,
 * the form the live API's own 401 text offers to a browser prompted for a password.
 */

/** The key of a well-formed `Bearer <key>` or `Basic base64(":<key>")` header, else undefined. */
export function authorizationKey(header: string | undefined): string | undefined {
  const bearer = /^Bearer +(\S+) *$/i.exec(header ?? '');
  if (bearer) return bearer[1];
  const basic = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header ?? '');
  if (!basic) return undefined;
  const credentials = Buffer.from(basic[1]!, 'base64').toString('utf8');
  // A blank username only: `user:key` names a user, which the API has no notion of.
  return credentials.startsWith(':') && /^\S+$/.test(credentials.slice(1)) ? credentials.slice(1) : undefined;
}

/** `Authorization: Bearer <key>`, read the same way by the API's auth and the admin-token guard. */

/** The key of a well-formed `Authorization: Bearer <key>` header, else undefined. */
export function bearerKey(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

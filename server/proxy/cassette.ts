/**
 * A cassette: a directory with one folder per recorded exchange, named
 * `<number>-<method>-<path>` (`0003-post-images-edits`), each holding `exchange.json`
 * (openapi.yaml's CassetteExchange) and the body and image files it names
 * (cassette-bodies.ts). What is kept of the headers, and never the API key, is decided here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { components } from '../contract/openapi-types.gen';
import { redactAuthorization } from '../edits/journal-recorder';

export type CassetteExchange = components['schemas']['CassetteExchange'];

export const EXCHANGE_FILE = 'exchange.json';
export const CASSETTE_VERSION = 1;

/** A cassette directory or one of its files that cannot be used: the message names it and says why. */
export class CassetteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CassetteError';
  }
}

/** `0003-post-images-edits`: the number keeps the recorded order, the rest says what it was. */
export function exchangeName(sequence: number, method: string, path: string): string {
  const slug = path
    .replace(/^\/v1\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${String(sequence).padStart(4, '0')}-${method.toLowerCase()}-${slug || 'root'}`;
}

/** The number of an exchange folder's name, or undefined for anything else in the directory. */
export function sequenceOf(name: string): number | undefined {
  const match = /^(\d{4,})-[a-z]+-[a-z0-9-]+$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** The request headers a cassette keeps: the key's kind only (`Bearer sk-…redacted`), the body's type, the client. */
export function keptRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  const authorization = redactAuthorization(headers.authorization);
  if (authorization !== null) kept.authorization = authorization;
  if (typeof headers['content-type'] === 'string') kept['content-type'] = headers['content-type'];
  if (typeof headers['user-agent'] === 'string') kept['user-agent'] = headers['user-agent'];
  return kept;
}

/** The answer's headers replay sends again; the rest (dates, connection, the account's organization) is not kept. */
const KEPT_RESPONSE_HEADER = /^(content-type|x-request-id|openai-version|openai-processing-ms|openai-model|retry-after|retry-after-ms|x-ratelimit-[a-z-]+)$/;

export function keptResponseHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (KEPT_RESPONSE_HEADER.test(name)) kept[name] = value;
  });
  return kept;
}

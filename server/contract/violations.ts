/**
 * How one exchange departs from openapi.yaml, as the recording proxy reports it (after
 * Prism's `sl-violations`): each violation names where it is (`request` or `response`, the
 * part, then the path inside it), the rule broken (ajv's keyword, or one of VIOLATION_CODES)
 * and a message. Every check reads the document through operations.ts and never throws on
 * what it is given: whatever a client or an upstream sends is judged, not trusted.
 */
import type { ErrorObject } from 'ajv';
import type { components } from './openapi-types.gen';
import { documentedResponse, escapePointer, mediaTypeOf, requestSchemaPointer, resolvePointer, responseBodyPointer, type Operation } from './operations';
import type { Contract } from './spec';

/** @see openapi.yaml#/components/schemas/Violation */
export type Violation = components['schemas']['Violation'];

/** The codes of violations that are not a schema keyword. */
export const VIOLATION_CODES = {
  undocumentedOperation: 'undocumented_operation',
  undocumentedStatus: 'undocumented_status',
  undocumentedMediaType: 'undocumented_media_type',
  invalidJson: 'invalid_json',
  eventName: 'event_name',
} as const;

/** The response header that lists an answer's violations (JSON, ASCII only). */
export const VIOLATIONS_HEADER = 'x-sandbox-violations';

/** Room for the header: proxies and clients commonly refuse header blocks over 8-16 KB. */
const HEADER_BUDGET = 6_000;

function violation(location: readonly string[], code: string, message: string): Violation {
  return { location: [...location], severity: 'error', code, message };
}

/** `['body', 'data', '0', 'b64_json']` -> `body data[0].b64_json`, as people read a place. */
function placeOf(location: readonly string[]): string {
  const [side, part, ...rest] = location;
  const inner = rest.reduce((text, segment) => (/^\d+$/.test(segment) ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment), '');
  const words = [side, part, inner].filter((word) => word).join(' ');
  return words.replace(/ \[/g, '[');
}

/** ajv's errors, as violations under `location` (e.g. `['response', 'body']`). */
export function schemaViolations(errors: readonly ErrorObject[] | null | undefined, location: readonly string[]): Violation[] {
  return (errors ?? []).map((error) => {
    const segments = error.instancePath.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const params = error.params as Record<string, unknown>;
    const extra = params.additionalProperty ?? params.missingProperty;
    const at = [...location, ...segments, ...(typeof extra === 'string' ? [extra] : [])];
    let message = error.message ?? 'is not valid';
    if (error.keyword === 'additionalProperties') message = 'is not a documented property';
    else if (error.keyword === 'required') message = 'is required but missing';
    else if (error.keyword === 'enum') message = `${message}: ${((params.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    return violation(at, error.keyword, `${placeOf(at)} ${message}`);
  });
}

/** Validates `value` against the schema at `pointer` (every error reported). */
export function checkValue(contract: Contract, pointer: string, value: unknown, location: readonly string[], coerce = false): Violation[] {
  const validate = contract.auditor(pointer, coerce);
  // Coercion writes into the data: judge a copy, never the caller's value.
  return validate(coerce ? structuredClone(value) : value) ? [] : schemaViolations(validate.errors, location);
}

/** A request that no operation documents. */
export function undocumentedOperation(method: string, path: string): Violation {
  return violation(['request'], VIOLATION_CODES.undocumentedOperation, `request ${method} ${path} is not an operation of openapi.yaml`);
}

/**
 * A request's documented query parameters and body. `body` is the data the schema sees (files
 * as placeholders); form bodies are text, read as the schema's types as the sandbox reads them.
 */
export function checkRequest(contract: Contract, operation: Operation, request: { query: Record<string, unknown>; contentType: string | undefined; body: unknown }): Violation[] {
  const found: Violation[] = [];
  const parameters = (operation.node.parameters ?? []) as Array<{ name?: string; in?: string }>;
  parameters.forEach((parameter, index) => {
    if (parameter.in !== 'query' || parameter.name === undefined || request.query[parameter.name] === undefined) return;
    found.push(...checkValue(contract, `${operation.pointer}/parameters/${index}/schema`, request.query[parameter.name], ['request', 'query', parameter.name], true));
  });
  if (request.body === undefined) return found;
  const mediaType = mediaTypeOf(request.contentType);
  const pointer = requestSchemaPointer(contract.document, operation, mediaType);
  if (!pointer) return [...found, violation(['request', 'headers', 'content-type'], VIOLATION_CODES.undocumentedMediaType, `request body of type '${mediaType}' is not documented for ${operation.method} ${operation.path}`)];
  return [...found, ...checkValue(contract, pointer, request.body, ['request', 'body'], mediaType !== 'application/json')];
}

/** What the head of an answer says about its body: where its schema is, and what is wrong so far. */
export interface ResponseHead {
  readonly violations: Violation[];
  /** The schema pointer of the body (undefined: the body cannot be checked). */
  readonly bodyPointer: string | undefined;
}

/** The status, the media type and the documented headers of an answer. */
export function checkResponseHead(contract: Contract, operation: Operation, status: number, headers: Headers): ResponseHead {
  const response = documentedResponse(contract.document, operation, status);
  if (!response) return { violations: [violation(['response', 'status'], VIOLATION_CODES.undocumentedStatus, `response status ${status} is not documented for ${operation.method} ${operation.path}`)], bodyPointer: undefined };
  const found: Violation[] = [];
  for (const name of Object.keys((response.node.headers ?? {}) as Record<string, unknown>)) {
    const value = headers.get(name);
    const header = resolvePointer(contract.document, `${response.pointer}/headers/${escapePointer(name)}`);
    if (value !== null && header?.node.schema !== undefined) found.push(...checkValue(contract, `${header.pointer}/schema`, value, ['response', 'headers', name]));
  }
  const mediaType = mediaTypeOf(headers.get('content-type'));
  const content = response.node.content as Record<string, unknown> | undefined;
  if (!content) return { violations: found, bodyPointer: undefined };
  const bodyPointer = responseBodyPointer(response, mediaType);
  if (!bodyPointer) found.push(violation(['response', 'headers', 'content-type'], VIOLATION_CODES.undocumentedMediaType, `response body of type '${mediaType}' is not documented for ${operation.method} ${operation.path} ${status} (documented: ${Object.keys(content).join(', ')})`));
  return { violations: found, bodyPointer };
}

/** A JSON answer's body, as sent. */
export function checkJsonBody(contract: Contract, pointer: string, text: string): Violation[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [violation(['response', 'body'], VIOLATION_CODES.invalidJson, 'response body is not JSON')];
  }
  return checkValue(contract, pointer, body, ['response', 'body']);
}

/** One streamed event (`index` from 0): its data against the stream's schema, and its name against its `type`. */
export function checkEvent(contract: Contract, pointer: string, event: { event: string | undefined; data: string }, index: number): Violation[] {
  const location = ['response', 'events', String(index)];
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return [violation([...location, 'data'], VIOLATION_CODES.invalidJson, `${placeOf(location)} data is not JSON`)];
  }
  const found = checkValue(contract, pointer, data, [...location, 'data']);
  const type = (data as { type?: unknown } | null)?.type;
  if (event.event !== type) found.push(violation([...location, 'event'], VIOLATION_CODES.eventName, `${placeOf(location)} is named '${event.event ?? ''}' but its data's type is ${JSON.stringify(type ?? null)}`));
  return found;
}

/**
 * The header's value: the violations as JSON, non-ASCII escaped, as many as fit the budget
 * (the journal entry keeps them all); undefined when there are none.
 */
export function violationsHeaderValue(violations: readonly Violation[]): string | undefined {
  if (violations.length === 0) return undefined;
  const ascii = (value: unknown) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const kept: Violation[] = [];
  for (const [index, item] of violations.entries()) {
    const rest = violations.length - index;
    const marker = violation(['response'], 'truncated', `${rest} more violation(s) in the journal entry`);
    if (ascii([...kept, item, marker]).length > HEADER_BUDGET) return ascii([...kept, marker]);
    kept.push(item);
  }
  return ascii(kept);
}

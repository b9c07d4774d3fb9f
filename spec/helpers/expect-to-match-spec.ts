/**
 * Validates a response body (or a streamed event) against openapi.yaml, so the tests and the
 * contract cannot drift. Every HTTP test passes its responses through here.
 */
import { loadContract, type Contract } from '../../server/contract/spec';

let contract: Contract | undefined;
export function testContract(): Contract {
  contract ??= loadContract();
  return contract;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Resolves a `$ref` chain at a JSON pointer of the document. */
function resolvePointer(pointer: string): { pointer: string; node: Record<string, unknown> } {
  let current = pointer;
  for (let hops = 0; hops < 10; hops++) {
    let node: unknown = testContract().document;
    for (const seg of current.split('/').slice(1)) node = (node as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`openapi.yaml has nothing at ${current}`);
    const ref = (node as { $ref?: string }).$ref;
    if (!ref) return { pointer: current, node: node as Record<string, unknown> };
    current = ref.replace(/^#/, '');
  }
  throw new Error(`$ref loop at ${pointer}`);
}

/** The schema pointer of `path` `method` `status` `contentType` in openapi.yaml. */
export function responseSchemaPointer(path: string, method: string, status: number, contentType = 'application/json'): string {
  const operation = `/paths/${escapePointer(path)}/${method.toLowerCase()}`;
  const response = resolvePointer(`${operation}/responses/${status}`);
  if (!(response.node.content as Record<string, unknown> | undefined)?.[contentType])
    throw new Error(`openapi.yaml documents no ${contentType} body for ${method} ${path} ${status}`);
  return `${response.pointer}/content/${escapePointer(contentType)}/schema`;
}

function check(pointer: string, body: unknown, what: string): void {
  const validate = testContract().validator(pointer);
  if (!validate(body)) {
    const detail = JSON.stringify(validate.errors, null, 2);
    throw new Error(`${what} does not match openapi.yaml (${pointer}):\n${detail}\nbody: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

/** Asserts that a JSON response matches the documented schema for its path, method and status. */
export function expectToMatchSpec(res: { status: number; body: unknown; headers?: Record<string, unknown> }, path: string, method = 'post'): void {
  check(responseSchemaPointer(path, method, res.status), res.body, `${method.toUpperCase()} ${path} ${res.status}`);
  const requestId = res.headers?.['x-request-id'];
  if (requestId !== undefined && !/^req_[0-9a-f]{32}$/.test(String(requestId))) throw new Error(`bad x-request-id: ${String(requestId)}`);
}

/** Asserts that a value matches a named schema under #/components/schemas. */
export function expectToMatchSchema(body: unknown, schemaName: string): void {
  check(`/components/schemas/${schemaName}`, body, schemaName);
}

/**
 * Asserts that one streamed event matches the documented `text/event-stream` schema of
 * `path`, and that its `event:` name equals its JSON `type` (as the live API frames them).
 */
export function expectEventToMatchSpec(event: { event: string | null; data: unknown }, path: string, method = 'post'): void {
  check(responseSchemaPointer(path, method, 200, 'text/event-stream'), event.data, `${method.toUpperCase()} ${path} event ${String(event.event)}`);
  const type = (event.data as { type?: unknown }).type;
  if (event.event !== type) throw new Error(`event name ${String(event.event)} differs from its data type ${String(type)}`);
}

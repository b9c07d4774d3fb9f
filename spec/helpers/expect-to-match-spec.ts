/**
 * Validates a response body (or a streamed event) against openapi.yaml, so the tests and the
 * contract cannot drift. Every HTTP test passes its responses through here.
 */
import { documentedResponse, findOperation, responseBodyPointer } from '../../server/contract/operations';
import { loadContract, type Contract } from '../../server/contract/spec';

let contract: Contract | undefined;
export function testContract(): Contract {
  contract ??= loadContract();
  return contract;
}

/** The schema pointer of `path` `method` `status` `contentType` in openapi.yaml. */
export function responseSchemaPointer(path: string, method: string, status: number, contentType = 'application/json'): string {
  const document = testContract().document;
  const operation = findOperation(document, method, path);
  if (!operation) throw new Error(`openapi.yaml documents no ${method.toUpperCase()} ${path}`);
  const response = documentedResponse(document, operation, status);
  const pointer = response && responseBodyPointer(response, contentType);
  if (!pointer) throw new Error(`openapi.yaml documents no ${contentType} body for ${method} ${path} ${status}`);
  return pointer;
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

/** violations.ts: each kind of departure from openapi.yaml, as the proxy reports it, and the header that carries them. */
import { findOperation } from '../../../server/contract/operations';
import { checkEvent, checkJsonBody, checkRequest, checkResponseHead, violationsHeaderValue, type Violation } from '../../../server/contract/violations';
import { testContract } from '../../helpers/expect-to-match-spec';

const contract = testContract();
const edits = findOperation(contract.document, 'POST', '/v1/images/edits')!;
const listFiles = findOperation(contract.document, 'GET', '/v1/files')!;
const jsonHeaders = (extra: Record<string, string> = {}) => new Headers({ 'content-type': 'application/json', ...extra });

describe('operations of concrete paths', () => {
  it('finds a templated path, prefers a literal one, and knows nothing of other routes', () => {
    expect(findOperation(contract.document, 'GET', '/v1/files/file-abc/content')).toMatchObject({ path: '/v1/files/{file_id}/content', method: 'GET' });
    expect(findOperation(contract.document, 'get', '/v1/files')).toMatchObject({ path: '/v1/files' });
    expect(findOperation(contract.document, 'PUT', '/v1/files')).toBeUndefined();
    expect(findOperation(contract.document, 'POST', '/v1/images/generations')).toBeUndefined();
  });
});

describe('checkRequest', () => {
  it('reads form text as the schema types, as the sandbox reads it, and lists every problem', () => {
    expect(checkRequest(contract, edits, { query: {}, contentType: 'multipart/form-data; boundary=x', body: { prompt: 'a rose', image: '<file>', n: '2' } })).toEqual([]);
    const found = checkRequest(contract, edits, { query: {}, contentType: 'multipart/form-data; boundary=x', body: { image: '<file>', n: '0', colour: 'red' } });
    expect(found.map((v) => [v.location.join('.'), v.code])).toEqual([
      ['request.body.prompt', 'required'],
      ['request.body.colour', 'additionalProperties'],
      ['request.body.n', 'minimum'],
    ]);
    expect(found[0]!.message).toBe('request body prompt is required but missing');
  });

  it('reads form text as a number only in decimal, as the sandbox reads it', () => {
    const found = checkRequest(contract, edits, { query: {}, contentType: 'multipart/form-data; boundary=x', body: { prompt: '0x2', image: '<file>', n: '0x0' } });
    expect(found.map((v) => [v.location.join('.'), v.code])).toEqual([['request.body.n', 'type']]);
  });

  it('keeps JSON values as sent, checks documented query parameters, and names an undocumented body type', () => {
    expect(checkRequest(contract, edits, { query: {}, contentType: 'application/json', body: { prompt: 'a rose', images: [{ file_id: 'file-1' }], n: '2' } }).map((v) => v.code)).toEqual(['type']);
    expect(checkRequest(contract, listFiles, { query: { limit: '0', order: 'up' }, contentType: undefined, body: undefined }).map((v) => [v.location.join('.'), v.code])).toEqual([
      ['request.query.limit', 'minimum'],
      ['request.query.order', 'enum'],
    ]);
    expect(checkRequest(contract, edits, { query: {}, contentType: 'text/plain', body: 'hello' })).toEqual([
      { location: ['request', 'headers', 'content-type'], severity: 'error', code: 'undocumented_media_type', message: "request body of type 'text/plain' is not documented for POST /v1/images/edits" },
    ]);
  });
});

describe('checkResponseHead and checkJsonBody', () => {
  it('names an undocumented status or body type, and checks documented headers', () => {
    expect(checkResponseHead(contract, edits, 418, jsonHeaders()).violations.map((v) => v.code)).toEqual(['undocumented_status']);
    expect(checkResponseHead(contract, edits, 200, new Headers({ 'content-type': 'text/html' })).violations.map((v) => v.code)).toEqual(['undocumented_media_type']);
    const head = checkResponseHead(contract, edits, 400, jsonHeaders({ 'x-request-id': 'req_1' }));
    expect(head.violations.map((v) => [v.location.join('.'), v.code])).toEqual([['response.headers.x-request-id', 'pattern']]);
    expect(head.bodyPointer).toBe('/components/responses/BadRequest/content/application~1json/schema');
  });

  it('checks the body against the schema of its status, and says when it is not JSON', () => {
    const pointer = checkResponseHead(contract, edits, 400, jsonHeaders()).bodyPointer!;
    expect(checkJsonBody(contract, pointer, '{"error":{"message":"no","type":"x","param":null,"code":null}}')).toEqual([]);
    expect(checkJsonBody(contract, pointer, '{"error":{"message":"no"}}').map((v) => v.location.join('.'))).toEqual(['response.body.error.type', 'response.body.error.param', 'response.body.error.code']);
    expect(checkJsonBody(contract, pointer, '<html>').map((v) => v.code)).toEqual(['invalid_json']);
  });
});

describe('checkEvent', () => {
  const pointer = checkResponseHead(contract, edits, 200, new Headers({ 'content-type': 'text/event-stream' })).bodyPointer!;
  it('checks the data against the stream schema and the name against its type', () => {
    const data = { type: 'error', error: { message: 'm', type: 't', param: null, code: null } };
    expect(checkEvent(contract, pointer, { event: 'error', data: JSON.stringify(data) }, 0)).toEqual([]);
    expect(checkEvent(contract, pointer, { event: 'image_edit.completed', data: JSON.stringify(data) }, 2)).toEqual([
      { location: ['response', 'events', '2', 'event'], severity: 'error', code: 'event_name', message: "response events[2] is named 'image_edit.completed' but its data's type is \"error\"" },
    ]);
    expect(checkEvent(contract, pointer, { event: undefined, data: '[DONE]' }, 1).map((v) => v.code)).toEqual(['invalid_json']);
  });
});

describe('violationsHeaderValue', () => {
  const item = (n: number): Violation => ({ location: ['response', 'body', `f${n}`], severity: 'error', code: 'type', message: `response body f${n} must be string — «${n}»` });
  it('is absent without violations, and ASCII JSON otherwise', () => {
    expect(violationsHeaderValue([])).toBeUndefined();
    const value = violationsHeaderValue([item(1)])!;
    expect(value).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(value)).toEqual([item(1)]);
  });
  it('keeps to its budget, the last item saying how many more the journal holds', () => {
    const many = Array.from({ length: 200 }, (_, n) => item(n));
    const value = violationsHeaderValue(many)!;
    expect(value.length).toBeLessThanOrEqual(6_000);
    const shown = JSON.parse(value) as Violation[];
    expect(shown.at(-1)).toEqual({ location: ['response'], severity: 'error', code: 'truncated', message: `${200 - (shown.length - 1)} more violation(s) in the journal entry` });
    expect(shown.slice(0, -1)).toEqual(many.slice(0, shown.length - 1));
  });
});

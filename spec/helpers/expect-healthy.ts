/**
 * After hostile input: the sandbox still answers its health check and still edits (a small
 * dall-e-2 edit), both matching openapi.yaml. Takes an app (supertest) or a listening url.
 */
import type { Express } from 'express';
import request from 'supertest';
import { postEdit } from './edit-request';
import { expectToMatchSpec } from './expect-to-match-spec';

export async function expectHealthyAndEditing(target: Express | string): Promise<request.Response> {
  const health = await request(target).get('/__sandbox/health');
  expect(health.status).toBe(200);
  expectToMatchSpec(health, '/__sandbox/health', 'get');
  const res = await postEdit(target, { model: 'dall-e-2', size: '256x256', response_format: 'b64_json', prompt: 'add a rose' }, [{ name: 'scene-rgba-256.png' }]);
  expect(res.status).toBe(200);
  expectToMatchSpec(res, '/v1/images/edits');
  return res;
}

/**
 * Outcome coverage over HTTP: each answer counts as exactly one outcome of the contract, in
 * its namespace, where it was decided; GET /__sandbox/coverage reports them (validated
 * against openapi.yaml); transport and control errors do not count.
 */
import request from 'supertest';
import { contractOutcomes } from '../../server/coverage/outcomes';
import { NEWEST_TABLE_DATE } from '../../server/models/lifecycle';
import type { SandboxHandle } from '../../server/start-sandbox';
import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec, testContract } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { readJsonEvents } from '../helpers/read-sse';
import { TEST_KEY, testApp, testSandbox } from '../helpers/test-sandbox';

const COVERAGE = '/__sandbox/coverage';
const fields = { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low' };
const dataUrl = `data:image/png;base64,${fixture('scene-512.png').toString('base64')}`;

type App = ReturnType<typeof testApp>['app'];
type Report = { namespace: string; total: number; exercised: number; fraction: number; outcomes: { id: string; count: number; exercised: boolean; seen?: unknown[] }[] };

async function coverage(app: App | string, namespace?: string, how: 'header' | 'query' = 'query'): Promise<Report> {
  let req = request(app).get(how === 'query' && namespace !== undefined ? `${COVERAGE}?namespace=${encodeURIComponent(namespace)}` : COVERAGE);
  if (how === 'header' && namespace !== undefined) req = req.set('x-sandbox-namespace', namespace);
  const res = await req;
  expectToMatchSpec(res, COVERAGE, 'get');
  expect(res.status).toBe(200);
  return res.body as Report;
}

/** The outcomes counted, id -> count. */
const counted = (report: Report) => Object.fromEntries(report.outcomes.filter((o) => o.exercised).map((o) => [o.id, o.count]));

describe('GET /__sandbox/coverage', () => {
  it('lists every outcome of the contract, none exercised, on a fresh sandbox', async () => {
    const { app } = testApp();
    const report = await coverage(app);
    const outcomes = contractOutcomes({ profile: 'seed', apiDate: NEWEST_TABLE_DATE }, testContract());
    expect(report).toMatchObject({ object: 'sandbox.coverage', namespace: 'default', profile: 'seed', api_date: NEWEST_TABLE_DATE, total: outcomes.length, exercised: 0, fraction: 0 });
    expect(report.outcomes.map((o) => o.id)).toEqual(outcomes.map((o) => o.id));
  });

  it('counts each answer as exactly one outcome, where it was decided', async () => {
    const { app } = testApp();
    const ns = (req: request.Test) => req.set('x-sandbox-namespace', 'w1');
    expect((await ns(postEdit(app, fields))).status).toBe(200);
    expect((await ns(postEdit(app, fields))).status).toBe(200);
    expect((await ns(postEdit(app, { ...fields, response_format: 'url' }))).status).toBe(200);
    expect((await ns(postEdit(app, { prompt: 'a rose', model: 'dall-e-2' }, [{ name: 'scene-rgba-256.png' }]))).status).toBe(200);
    const json = await ns(request(app).post('/v1/images/edits').set('Authorization', `Bearer ${TEST_KEY}`).send({ ...fields, images: [{ image_url: dataUrl }] }));
    expect(json.status).toBe(200);
    const stream = await ns(postEdit(app, { ...fields, stream: true, partial_images: 2 }));
    expect(readJsonEvents(stream.text).map((e) => e.event)).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);
    // A scenario counts as itself, not as the error it answers with (invalid_api_key is also a real answer).
    expect((await ns(postEdit(app, fields).set('x-sandbox-scenario', 'rate_limit'))).status).toBe(429);
    expect((await ns(postEdit(app, fields).set('x-sandbox-scenario', 'invalid_api_key'))).status).toBe(401);
    // A stream failure counts as that, not as the 500 behind its error event.
    const cut = await ns(postEdit(app, { ...fields, stream: true, partial_images: 1 }).set('x-sandbox-scenario', 'stream_error'));
    expect(readJsonEvents(cut.text).map((e) => e.event)).toEqual(['image_edit.partial_image', 'error']);
    // Errors of the contract, by catalogue name, with how they looked.
    expect((await ns(postEdit(app, { model: 'gpt-image-1' }))).status).toBe(400);
    expect((await ns(postEdit(app, { ...fields, colour: 'red' }))).status).toBe(400);
    expect((await ns(postEdit(app, fields, undefined, null))).status).toBe(401);
    expect((await ns(request(app).get('/v1/files/file-nope').set('Authorization', `Bearer ${TEST_KEY}`))).status).toBe(404);

    const report = await coverage(app, 'w1', 'header');
    expect(counted(report)).toEqual({
      'success:gpt-image:multipart:b64_json': 2,
      'success:gpt-image:multipart:url': 1,
      'success:dall-e:multipart:url': 1,
      'success:gpt-image:json:b64_json': 1,
      'success:gpt-image:multipart:stream-2': 1,
      'stream-failure:gpt-image:error-event': 1,
      'scenario:rate_limit': 1,
      'scenario:invalid_api_key': 1,
      'error:missingParameter': 1,
      'error:unknownParameter': 1,
      'error:missingApiKey': 1,
      'error:noSuchFile': 1,
    });
    expect(report.exercised).toBe(12);
    expect(report.fraction).toBeCloseTo(12 / report.total, 10);
    expect(report.outcomes.find((o) => o.id === 'error:missingParameter')?.seen).toEqual([
      { status: 400, type: 'invalid_request_error', code: 'missing_required_parameter', param: 'prompt', count: 1 },
    ]);
    expect(report.outcomes.find((o) => o.id === 'error:unknownParameter')?.seen).toEqual([{ status: 400, type: 'invalid_request_error', code: 'unknown_parameter', param: 'colour', count: 1 }]);
  });

  it('does not count transport errors, the sandbox header and control errors, or unknown routes', async () => {
    const { app } = testApp();
    expect((await postEdit(app, fields).set('x-sandbox-scenario', 'meteor_strike')).body.error.code).toBe('unknown_scenario');
    expect((await postEdit(app, fields).set('x-sandbox-latency-ms', 'soon')).body.error.code).toBe('invalid_sandbox_header');
    const tooBig = await request(app)
      .post('/v1/images/edits')
      .set('Authorization', `Bearer ${TEST_KEY}`)
      .set('content-type', 'application/json; charset=latin1')
      .send('{}');
    expect(tooBig.body.error.code).toBe('unsupported_charset');
    expect((await request(app).post('/v1/images/edit').set('Authorization', `Bearer ${TEST_KEY}`)).status).toBe(404);
    expect((await request(app).get('/__sandbox/requests/req_nope')).status).toBe(404);
    expect((await coverage(app, '*')).exercised).toBe(0);
  });

  it('keeps namespaces apart, merges them with *, and forgets a reset namespace but not the run', async () => {
    const { app } = testApp();
    await postEdit(app, fields).set('x-sandbox-namespace', 'w1');
    await postEdit(app, fields).set('x-sandbox-namespace', 'w2');
    await postEdit(app, fields).set('x-sandbox-namespace', 'w2').set('x-sandbox-scenario', 'overloaded');
    expect(counted(await coverage(app, 'w1'))).toEqual({ 'success:gpt-image:multipart:b64_json': 1 });
    expect(counted(await coverage(app, 'w2'))).toEqual({ 'success:gpt-image:multipart:b64_json': 1, 'scenario:overloaded': 1 });
    expect(counted(await coverage(app))).toEqual({});
    const all = await coverage(app, '*');
    expect(all.namespace).toBe('*');
    expect(counted(all)).toEqual({ 'success:gpt-image:multipart:b64_json': 2, 'scenario:overloaded': 1 });

    expect((await request(app).post('/__sandbox/reset').set('x-sandbox-namespace', 'w2').set('content-type', 'application/json').send({})).status).toBe(200);
    expect(counted(await coverage(app, 'w2'))).toEqual({});
    expect(counted(await coverage(app, '*'))).toEqual({ 'success:gpt-image:multipart:b64_json': 2, 'scenario:overloaded': 1 });
    await request(app).post('/__sandbox/reset?namespace=*').set('content-type', 'application/json').send({});
    expect(counted(await coverage(app, '*'))).toEqual({});
  });

  it('answers a malformed namespace with the usual 400 envelope', async () => {
    const { app } = testApp();
    const res = await request(app).get(`${COVERAGE}?namespace=${encodeURIComponent('not a name')}`);
    expectToMatchSpec(res, COVERAGE, 'get');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'namespace' });
  });

  it('needs the admin token when the control surface is locked', async () => {
    const { app } = testApp({ adminToken: 'let-me-in-please' });
    const refused = await request(app).get(COVERAGE);
    expectToMatchSpec(refused, COVERAGE, 'get');
    expect(refused.status).toBe(401);
    expect((await request(app).get(COVERAGE).set('Authorization', 'Bearer let-me-in-please')).status).toBe(200);
  });

  it('counts the timeout scenario when it holds the request', async () => {
    const { app } = testApp({ maxLatencyMs: 100 });
    expect((await postEdit(app, fields).set('x-sandbox-scenario', 'timeout')).status).toBe(504);
    expect(counted(await coverage(app))).toEqual({ 'scenario:timeout': 1 });
  });
});

describe('a client that leaves mid-stream', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await testSandbox({ streamIntervalMs: 60_000 });
  });
  afterAll(() => sandbox.close({ graceMs: 100 }));

  it('counts as the stream failure client-left, not as a success', async () => {
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...fields, stream: 'true', partial_images: '3' })) form.append(name, value);
    form.append('image', new Blob([fixture('scene-512.png')], { type: 'image/png' }), 'scene.png');
    const controller = new AbortController();
    const response = await fetch(`${sandbox.url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}` }, body: form, signal: controller.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('image_edit.partial_image');
    controller.abort();
    let report: Report | undefined;
    for (let tries = 0; tries < 100; tries++) {
      report = await coverage(sandbox.url);
      if (report.exercised > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(counted(report!)).toEqual({ 'stream-failure:gpt-image:client-left': 1 });
  });
});

/**
 * Injected slowness: `x-sandbox-latency-ms` and SANDBOX_LATENCY_MS delay the answer, bounded
 * by SANDBOX_MAX_LATENCY_MS; scenario `timeout` holds the answer until the client gives up.
 */
import request from 'supertest';
import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { journalEntries, testApp } from '../helpers/test-sandbox';

const EDIT = '/v1/images/edits';
const fields = { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low' };

async function timed<T>(work: () => PromiseLike<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('x-sandbox-latency-ms', () => {
  const { app } = testApp({ maxLatencyMs: 2000 });

  it('delays the answer by at least the asked milliseconds', async () => {
    const { result, ms } = await timed(() => postEdit(app, fields).set('x-sandbox-latency-ms', '400'));
    expectToMatchSpec(result, EDIT);
    expect(result.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(395);
  });

  it('delays error answers as well', async () => {
    const { result, ms } = await timed(() => postEdit(app, fields).set('x-sandbox-latency-ms', '300').set('x-sandbox-scenario', 'overloaded'));
    expect(result.status).toBe(503);
    expect(ms).toBeGreaterThanOrEqual(295);
  });

  it.each([
    { value: 'soon', status: 400, type: 'invalid_request_error', param: 'x-sandbox-latency-ms', code: 'invalid_sandbox_header' },
    { value: '-5', status: 400, type: 'invalid_request_error', param: 'x-sandbox-latency-ms', code: 'invalid_sandbox_header' },
    { value: '1.5', status: 400, type: 'invalid_request_error', param: 'x-sandbox-latency-ms', code: 'invalid_sandbox_header' },
    { value: '2001', status: 400, type: 'invalid_request_error', param: 'x-sandbox-latency-ms', code: 'invalid_sandbox_header' },
    { value: '99999999999', status: 400, type: 'invalid_request_error', param: 'x-sandbox-latency-ms', code: 'invalid_sandbox_header' },
  ])('rejects $value with $status $code', async ({ value, status, type, param, code }) => {
    const { result, ms } = await timed(() => postEdit(app, fields).set('x-sandbox-latency-ms', value));
    expectToMatchSpec(result, EDIT);
    expect(result.status).toBe(status);
    expect(result.body.error).toMatchObject({ type, param, code });
    expect(ms).toBeLessThan(1000);
  });

  it('names the configured maximum in its error', async () => {
    const res = await postEdit(app, fields).set('x-sandbox-latency-ms', '5000');
    expect(res.body.error.message).toContain('from 0 to 2000 (SANDBOX_MAX_LATENCY_MS)');
  });
});

describe('SANDBOX_LATENCY_MS', () => {
  it('delays every edit request that does not say otherwise', async () => {
    const { app } = testApp({ latencyMs: 300 });
    // An invalid size answers without rendering, so the time measured is the latency alone.
    const invalid = { ...fields, size: '7x7' };
    const slow = await timed(() => postEdit(app, invalid));
    expect(slow.result.status).toBe(400);
    expect(slow.ms).toBeGreaterThanOrEqual(295);
    const fast = await timed(() => postEdit(app, invalid).set('x-sandbox-latency-ms', '0'));
    expect(fast.result.status).toBe(400);
    expect(fast.ms).toBeLessThan(250);
  });
});

describe('scenario timeout', () => {
  it('sends nothing until the client gives up, and the journal records that it did', async () => {
    const { app, stores } = testApp({ maxLatencyMs: 10_000 });
    const { result, ms } = await timed(() =>
      postEdit(app, fields)
        .set('x-sandbox-scenario', 'timeout')
        .timeout(400)
        .then(
          () => 'answered',
          (err: { timeout?: number }) => (err.timeout ? 'client gave up' : 'other error'),
        ),
    );
    expect(result).toBe('client gave up');
    expect(ms).toBeGreaterThanOrEqual(395);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const entry = (await journalEntries(stores)).at(-1);
    expect(entry).toMatchObject({
      status: 499,
      scenario: 'timeout',
      error: { status: 499, code: 'client_closed_request', message: 'The client closed the connection before the sandbox answered, so it did not receive the whole answer.' },
      response: { headers: {}, body: null, events: null },
    });
  });

  it('answers 504 once the configured bound has passed, so no socket is held forever', async () => {
    const { app } = testApp({ maxLatencyMs: 300 });
    const { result, ms } = await timed(() => postEdit(app, fields).set('x-sandbox-scenario', 'timeout'));
    expectToMatchSpec(result, EDIT);
    expect(result.status).toBe(504);
    expect(result.body.error).toMatchObject({ type: 'server_error', param: null, code: 'timeout' });
    expect(ms).toBeGreaterThanOrEqual(295);
    expect(ms).toBeLessThan(3000);
  });

  it('armed, holds only the next request', async () => {
    const { app } = testApp({ maxLatencyMs: 200 });
    await request(app).post('/__sandbox/scenarios').send({ scenario: 'timeout' });
    expect((await postEdit(app, fields)).status).toBe(504);
    expect((await postEdit(app, fields)).status).toBe(200);
  });
});

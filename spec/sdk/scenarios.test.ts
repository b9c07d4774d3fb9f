/**
 * Failure scenarios as the official `openai` SDK sees them: its error classes, its retries
 * through armed failures (waiting as retry-after-ms says), and its own timeout.
 */
import OpenAI, { toFile } from 'openai';
import { expectToMatchSchema } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { drainSdkStream } from '../helpers/read-sse';
import { TEST_KEY, testSandbox } from '../helpers/test-sandbox';
import type { SandboxHandle } from '../../server/start-sandbox';
import { RATE_LIMIT_RETRY_AFTER_MS } from '../../server/scenarios/scenario-outcomes';

const png = (name: string) => toFile(fixture(name), name, { type: 'image/png' });
const edit = async (client: OpenAI, options: OpenAI.RequestOptions = {}) =>
  client.images.edit({ model: 'gpt-image-1', image: await png('scene-512.png'), prompt: 'add a red rose', quality: 'low' }, options);

describe('scenarios through the official openai SDK', () => {
  let sandbox: SandboxHandle;
  let client: OpenAI;

  beforeAll(async () => {
    sandbox = await testSandbox({ maxLatencyMs: 5000 });
    client = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 0 });
  });
  afterEach(() => sandbox.reset());
  afterAll(() => sandbox.close());

  it.each([
    { scenario: 'rate_limit', errorClass: OpenAI.RateLimitError, status: 429, code: 'rate_limit_exceeded', type: 'requests' },
    { scenario: 'insufficient_quota', errorClass: OpenAI.RateLimitError, status: 429, code: 'insufficient_quota', type: 'insufficient_quota' },
    { scenario: 'server_error', errorClass: OpenAI.InternalServerError, status: 500, code: null, type: 'server_error' },
    { scenario: 'overloaded', errorClass: OpenAI.InternalServerError, status: 503, code: null, type: 'server_error' },
    { scenario: 'moderation_blocked', errorClass: OpenAI.BadRequestError, status: 400, code: 'moderation_blocked', type: 'image_generation_user_error' },
    { scenario: 'invalid_api_key', errorClass: OpenAI.AuthenticationError, status: 401, code: 'invalid_api_key', type: 'invalid_request_error' },
    { scenario: 'org_not_verified', errorClass: OpenAI.PermissionDeniedError, status: 403, code: null, type: 'invalid_request_error' },
    { scenario: 'mismatched_organization', errorClass: OpenAI.AuthenticationError, status: 401, code: 'mismatched_organization', type: 'invalid_request_error' },
  ])('$scenario raises $errorClass.name with status $status and code $code', async ({ scenario, errorClass, status, code, type }) => {
    const error = await edit(client, { headers: { 'x-sandbox-scenario': scenario } }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(errorClass);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(status);
    expect(apiError.code).toBe(code);
    expect(apiError.type).toBe(type);
    expect(apiError.param).toBeNull();
    expect(apiError.requestID).toMatch(/^req_[0-9a-f]{32}$/);
    expectToMatchSchema({ error: apiError.error }, 'ErrorResponse');
  });

  it.each([
    { scenario: 'rate_limit', times: 2 },
    { scenario: 'server_error', times: 2 },
    { scenario: 'overloaded', times: 1 },
  ])('retries through $times armed $scenario failures and succeeds', async ({ scenario, times }) => {
    await sandbox.namespace().arm(scenario, { times: times });
    const retrying = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 2 });
    const result = await edit(retrying);
    expectToMatchSchema(result, 'ImagesResponse');
    const attempts = (await sandbox.namespace().journal());
    if (scenario === 'rate_limit') {
      // The SDK waited as retry-after-ms said (no less): it read the header the sandbox sent.
      const starts = attempts.map((e) => Date.parse(e.time));
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(RATE_LIMIT_RETRY_AFTER_MS - 20);
    }
    expect(attempts.map((e) => e.status)).toEqual([...Array(times).fill(scenario === 'rate_limit' ? 429 : scenario === 'overloaded' ? 503 : 500), 200]);
    expect(attempts.map((e) => e.headers['x-stainless-retry-count'])).toEqual(Array.from({ length: times + 1 }, (_, i) => String(i)));
    expect((await sandbox.namespace().armed())).toEqual([]);
  });

  it('rate_limit retries wait about the advertised retry-after-ms, not the SDK backoff', async () => {
    await sandbox.namespace().arm('rate_limit', { times: 1 });
    const retrying = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 1 });
    await edit(retrying);
    const [failed, succeeded] = (await sandbox.namespace().journal());
    const gap = Date.parse(succeeded!.time) - Date.parse(failed!.time) - failed!.duration_ms;
    expect(gap).toBeGreaterThanOrEqual(400);
    expect(gap).toBeLessThan(1500);
  });

  it('gives up after maxRetries when more failures are armed than retries', async () => {
    await sandbox.namespace().arm('rate_limit', { times: 5 });
    const retrying = new OpenAI({ apiKey: TEST_KEY, baseURL: `${sandbox.url}/v1`, maxRetries: 1 });
    await expect(edit(retrying)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect((await sandbox.namespace().armed())[0]?.remaining).toBe(3);
  });

  it('timeout: nothing comes back until the SDK gives up, and the journal shows the client left', async () => {
    const started = performance.now();
    const error = await edit(client, { headers: { 'x-sandbox-scenario': 'timeout' }, timeout: 300 }).then(
      () => undefined,
      (err: unknown) => err,
    );
    // APIConnectionTimeoutError outside jest; jest's separate realm hides the AbortError's name,
    // so the SDK reports its parent class here.
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await sandbox.namespace().journal()).at(-1)).toMatchObject({ scenario: 'timeout', status: 499 });
  });

  it('stream_error: the SDK yields the first event, then raises APIError from the error event', async () => {
    const stream = await client.images.edit(
      { model: 'gpt-image-1', image: await png('scene-512.png'), prompt: 'add a red rose', quality: 'low', stream: true, partial_images: 2 },
      { headers: { 'x-sandbox-scenario': 'stream_error' } },
    );
    const { seen, error } = await drainSdkStream(stream);
    expect(seen).toEqual(['image_edit.partial_image']);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ type: 'server_error', code: null, param: null });
    expect((await sandbox.namespace().journal()).at(-1)).toMatchObject({ scenario: 'stream_error', status: 200, stream: true });
  });
});

import { createHash } from 'node:crypto';
import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { decodePng, sniffFormat } from '../helpers/fixtures';
import { TEST_NOW, testApp } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const b64 = (res: { body: { data: Array<{ b64_json?: string }> } }, i = 0) => Buffer.from(res.body.data[i]!.b64_json!, 'base64');

describe('POST /v1/images/edits answers with decodable edits', () => {
  const { app } = testApp();

  it('returns a gpt-image-1 PNG of the requested size with usage, echoing resolved values', async () => {
    const res = await postEdit(app, { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low', size: '1024x1024' });
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    expect(res.body).toMatchObject({ created: TEST_NOW, background: 'opaque', output_format: 'png', quality: 'low', size: '1024x1024' });
    const png = decodePng(b64(res));
    expect([png.width, png.height]).toEqual([1024, 1024]);
    expect(res.body.usage.output_tokens).toBe(272);
    expect(res.body.usage.input_tokens_details.image_tokens).toBe(194);
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('gives the same bytes for the same request, and other bytes for another prompt', async () => {
    const fields = { prompt: 'add a red rose', model: 'gpt-image-1', quality: 'low' };
    const [a, b, c] = await Promise.all([postEdit(app, fields), postEdit(app, fields), postEdit(app, { ...fields, prompt: 'add a blue rose' })]);
    expect(sha(b64(a))).toBe(sha(b64(b)));
    expect(sha(b64(a))).not.toBe(sha(b64(c)));
  });

  it('encodes jpeg and webp when asked', async () => {
    for (const format of ['jpeg', 'webp'] as const) {
      const res = await postEdit(app, { prompt: 'x', model: 'gpt-image-1', quality: 'low', output_format: format, output_compression: 50 });
      expect(res.status).toBe(200);
      expectToMatchSpec(res, EDITS);
      expect(sniffFormat(b64(res))).toBe(format);
    }
  });
});

/**
 * Hostile and unusual uploads over HTTP: one refusal per step that judges uploads (parse's
 * file count, inspect's bytes and mask, decode's pixels named by position) in the envelope,
 * the upload cap, and valid PNG variants the live API decodes edited end to end. Each upload
 * rule is a row of spec/unit/edits/inspect.test.ts or decode.test.ts.
 */
import net from 'node:net';
import * as fitInputModule from '../../server/images/fit-input';
import { postEdit, type EditFile } from '../helpers/edit-request';
import { expectHealthyAndEditing } from '../helpers/expect-healthy';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { decodePng, fixture } from '../helpers/fixtures';
import { TEST_KEY, testApp, testSandbox } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const IRE = 'invalid_request_error';
const IGUE = 'image_generation_user_error';
const MB = 1024 * 1024;
const GPT = { model: 'gpt-image-1', quality: 'low', prompt: 'add a red rose' };
const DALLE = { model: 'dall-e-2', size: '256x256', response_format: 'b64_json', prompt: 'add a red rose' };

const png = (name: string, bytes?: Buffer, field = 'image'): EditFile => ({ field, name, contentType: 'image/png', ...(bytes ? { bytes } : {}) });

interface FileCase {
  readonly upload: string;
  readonly fields: Record<string, string>;
  readonly files: EditFile[];
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
}

const rejected: FileCase[] = [
  // parse: more file parts than the multipart reader takes.
  {
    upload: '40 images (more than the reader takes)',
    fields: GPT,
    files: Array.from({ length: 40 }, () => png('scene-256.png', undefined, 'image[]')),
    status: 400,
    type: IRE,
    param: 'image',
    code: 'array_above_max_length',
  },
  // inspect: bytes whose header does not read, and a mask that does not fit the image.
  { upload: 'a text file named .png', fields: GPT, files: [png('not-an-image.png')], status: 400, type: IGUE, param: null, code: 'invalid_image_file' },
  {
    upload: 'a mask of another size',
    fields: GPT,
    files: [png('scene-512.png'), png('mask-256.png', undefined, 'mask')],
    status: 400,
    type: IRE,
    param: 'mask',
    code: 'invalid_mask_image',
  },
];

/** Valid PNGs in every colour layout the live API's decoder reads, and the size each edit comes out at. */
const accepted: Array<{ upload: string; fields: Record<string, string>; files: EditFile[]; size: [number, number] }> = [
  { upload: 'an animated PNG (its first frame)', fields: GPT, files: [png('scene-animated-512.png')], size: [1024, 1024] },
  { upload: 'a 16-bit PNG', fields: GPT, files: [png('scene-16bit-512.png')], size: [1024, 1024] },
  { upload: 'a palette PNG', fields: GPT, files: [png('scene-palette-512.png')], size: [1024, 1024] },
  { upload: 'a grey PNG', fields: GPT, files: [png('scene-grey-512.png')], size: [1024, 1024] },
  { upload: 'a grey PNG for dall-e-2 (mode L)', fields: { ...DALLE, size: '512x512' }, files: [png('scene-grey-512.png')], size: [512, 512] },
  { upload: 'a palette PNG with a mask for dall-e-2', fields: { ...DALLE, size: '512x512' }, files: [png('scene-palette-512.png'), png('mask-512.png', undefined, 'mask')], size: [512, 512] },
  { upload: '16 images', fields: GPT, files: Array.from({ length: 16 }, () => png('scene-256.png', undefined, 'image[]')), size: [1024, 1024] },
];

describe('hostile uploads', () => {
  const { app } = testApp();

  it.each(rejected)('answers $upload with $status $code', async (c) => {
    const res = await postEdit(app, c.fields, c.files);
    expect(res.status).toBe(c.status);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toMatchObject({ type: c.type, param: c.param, code: c.code });
    // The live invalid_image_file text cites this request's id.
    if (c.code === 'invalid_image_file') expect(res.body.error.message).toMatch(new RegExp(`include the request ID ${res.headers['x-request-id']}\\.$`));
  });

  it.each(accepted)('accepts $upload and answers an edit of the requested size', async (c) => {
    const res = await postEdit(app, c.fields, c.files);
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
    const out = decodePng(Buffer.from(res.body.data[0].b64_json, 'base64'));
    expect([out.width, out.height]).toEqual(c.size);
  });

  // decode: a header that read, pixels that do not; only decode can tell, after inspect said yes.
  it('names the damaged image by its position, with the live type and code', async () => {
    const res = await postEdit(app, GPT, [png('scene-512.png'), png('scene-256.png'), png('corrupt-idat-512.png')]);
    expect(res.status).toBe(400);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toEqual({
      message: `Invalid image file or mode for image 3, please check your image file. If you believe this is an error, contact us at help.openai.com and include the request ID ${res.headers['x-request-id']}.`,
      type: IGUE,
      param: null,
      code: 'invalid_image_file',
    });
  });

  it('refuses a decompression bomb from its header, before any pixel is decoded', async () => {
    const decode = jest.spyOn(fitInputModule, 'fitInput');
    try {
      const started = performance.now();
      const res = await postEdit(app, GPT, [png('bomb-50000x50000.png')]);
      expect(res.status).toBe(400);
      expectToMatchSpec(res, EDITS);
      expect(res.body.error.message).toContain('50000x50000 is 2500000000 pixels');
      expect(decode).not.toHaveBeenCalled();
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      decode.mockRestore();
    }
  });

  it('stays healthy and still edits after the whole table', async () => {
    await expectHealthyAndEditing(app);
  });
});

describe('the upload cap (SANDBOX_MAX_UPLOAD_BYTES)', () => {
  const cap = 64 * 1024;
  const { app } = testApp({ maxUploadBytes: cap });
  const big = Buffer.concat([fixture('scene-512.png'), Buffer.alloc(cap)]);

  // Which part the error names (image or mask) is fromMulterError's, in unit/edits/parse.test.ts.
  it('cuts off an oversized part with 413 file_too_large, naming the configured cap', async () => {
    const res = await postEdit(app, GPT, [png('big.png', big)]);
    expect(res.status).toBe(413);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toMatchObject({ type: IRE, param: 'image', code: 'file_too_large' });
    expect(res.body.error.message).toContain(`(${cap} bytes)`);
  });

  it('discards the rest of an oversized body as it streams in, then answers 413 on a connection that stays usable', async () => {
    // multer stops keeping the part at the cap and drains the rest, so the client can finish
    // sending and read the answer (closing on it mid-send would give it EPIPE instead).
    const sandbox = await testSandbox({ maxUploadBytes: cap });
    try {
      const body = Buffer.concat([
        Buffer.from(
          `--b\r\nContent-Disposition: form-data; name="model"\r\n\r\ngpt-image-1\r\n` +
            `--b\r\nContent-Disposition: form-data; name="image"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        fixture('scene-512.png'),
        Buffer.alloc(10 * MB),
        Buffer.from('\r\n--b--\r\n'),
      ]);
      const answers = await new Promise<string>((resolve, reject) => {
        let text = '';
        let askedAgain = false;
        const socket = net.connect(sandbox.port, '127.0.0.1', () => {
          socket.write(
            `POST ${EDITS} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TEST_KEY}\r\n` +
              `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${body.length}\r\n\r\n`,
          );
          socket.write(body);
        });
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => {
          text += chunk;
          // Once the 413 is in, ask again on the same socket.
          if (!askedAgain && /^HTTP\/1\.1 413 [\s\S]*\r\n\r\n\{[\s\S]*\}$/.test(text)) {
            askedAgain = true;
            socket.write('GET /__sandbox/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
          }
          if (/HTTP\/1\.1 200 [\s\S]*"status":"ok"/.test(text)) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.on('error', reject);
        setTimeout(() => reject(new Error(`no answers; got: ${text.slice(0, 300)}`)), 10_000).unref();
      });
      expect(answers).toMatch(/^HTTP\/1\.1 413 /);
      const json = answers.slice(answers.indexOf('\r\n\r\n') + 4, answers.indexOf('HTTP/1.1 200'));
      const error = JSON.parse(json) as unknown;
      expectToMatchSpec({ status: 413, body: error }, EDITS);
      expect(error).toMatchObject({ error: { param: 'image', code: 'file_too_large' } });
    } finally {
      await sandbox.close({ graceMs: 0 });
    }
  });

  it('still edits files under the cap', async () => {
    const res = await postEdit(app, DALLE, [png('scene-rgba-256.png')]);
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
  });
});

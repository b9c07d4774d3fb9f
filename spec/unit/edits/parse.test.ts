/**
 * parse: the body multer (or the JSON and form readers) produced -> a ParsedForm, image parts
 * under every name clients use folded into one ordered list; and multer's and busboy's
 * errors translated into the envelope where the reader is used.
 * @see ../shared/reference/sdk-encoding.md
 */
import { createHash } from 'node:crypto';
import multer from 'multer';
import { fromMulterError, identify, MAX_JSON_DEPTH, MULTIPART_LIMITS, nestsDeeperThan, toParsedForm, uploadKey } from '../../../server/edits/parse';
import { createRenderCaches } from '../../../server/images/render-caches';
import { fixture } from '../../helpers/fixtures';

/** A file as multer's memory storage hands it over. */
function part(fieldname: string, name = 'scene-256.png', mimetype = 'image/png'): Express.Multer.File {
  const buffer = fixture(name);
  return { fieldname, originalname: name, encoding: '7bit', mimetype, size: buffer.length, buffer } as Express.Multer.File;
}

const summary = (files: readonly { field: string; param: string; filename: string }[]) => files.map(({ field, param, filename }) => [field, param, filename]);

describe('toParsedForm', () => {
  it.each([
    { sent: 'one image part', parts: ['image'], params: ['image'], imageIsArray: false },
    { sent: 'one image[] part', parts: ['image[]'], params: ['image[0]'], imageIsArray: true },
    { sent: 'image repeated', parts: ['image', 'image'], params: ['image[0]', 'image[1]'], imageIsArray: true },
    { sent: 'image[] repeated', parts: ['image[]', 'image[]', 'image[]'], params: ['image[0]', 'image[1]', 'image[2]'], imageIsArray: true },
    { sent: 'indexed PHP-style parts', parts: ['image[0]', 'image[1]'], params: ['image[0]', 'image[1]'], imageIsArray: true },
    // The seed page's curl example: image, image.0 and image.1.items.
    { sent: "the seed page's names", parts: ['image', 'image.0', 'image.1.items'], params: ['image[0]', 'image[1]', 'image[2]'], imageIsArray: true },
  ])('folds $sent into images named $params', ({ parts, params, imageIsArray }) => {
    const form = toParsedForm({ prompt: 'x' }, parts.map((field) => part(field)));
    expect(form.images.map((image) => [image.field, image.param])).toEqual(parts.map((field, i) => [field, params[i]]));
    expect(form.imageIsArray).toBe(imageIsArray);
    expect([form.masks, form.otherFiles]).toEqual([[], []]);
  });

  it('keeps upload order and sorts masks and other file parts apart', () => {
    const form = toParsedForm({ prompt: 'x' }, [part('image[]', 'scene-512.png'), part('mask', 'mask-512.png'), part('thumbnail'), part('image[]', 'scene-256.png')]);
    expect(summary(form.images)).toEqual([
      ['image[]', 'image[0]', 'scene-512.png'],
      ['image[]', 'image[1]', 'scene-256.png'],
    ]);
    expect(summary(form.masks)).toEqual([['mask', 'mask', 'mask-512.png']]);
    expect(summary(form.otherFiles)).toEqual([['thumbnail', 'thumbnail', 'scene-256.png']]);
  });

  it('keeps each part\'s declared type and bytes, hashed once', () => {
    const [image] = toParsedForm({}, [part('image', 'scene-512.jpg', 'application/octet-stream')]).images;
    expect(image).toEqual({
      field: 'image',
      param: 'image',
      filename: 'scene-512.jpg',
      mimetype: 'application/octet-stream',
      buffer: fixture('scene-512.jpg'),
      sha256: createHash('sha256').update(fixture('scene-512.jpg')).digest('hex'),
    });
  });

  it('copies the text fields, so later steps cannot change the body', () => {
    const body = { prompt: 'add a rose', n: '2' };
    const form = toParsedForm(body, undefined);
    expect(form.fields).toEqual(body);
    expect(form.fields).not.toBe(body);
    expect(form.images).toEqual([]);
  });

  it('reads a multipart form unless told the body was JSON', () => {
    expect(toParsedForm({ prompt: 'x' }, [part('image')]).bodyForm).toBe('multipart');
  });

  it('keeps a JSON body\'s values as sent, its image references included, as a JSON form with no file parts', () => {
    const body = { prompt: 'add a rose', n: 2, images: [{ file_id: 'file-abc' }, { image_url: 'data:image/png;base64,AA==' }] };
    expect(toParsedForm(body, undefined, 'json')).toEqual({ bodyForm: 'json', fields: body, images: [], masks: [], imageIsArray: false, otherFiles: [] });
  });

  it.each([
    ['no body', undefined],
    ['a JSON array', ['prompt']],
    ['a JSON string', 'prompt'],
    ['null', null],
  ])('reads %s as no fields', (_what, body) => {
    expect(toParsedForm(body, undefined).fields).toEqual({});
  });
});

describe('fromMulterError', () => {
  const CAP = 64 * 1024;
  const multipart = (why: string) => ({ status: 400, type: 'invalid_request_error', param: null, code: 'invalid_multipart_body', message: `Could not parse multipart form: ${why}.` });

  it.each([
    {
      field: 'image',
      value: 'over the upload cap',
      error: new multer.MulterError('LIMIT_FILE_SIZE', 'image'),
      answer: { status: 413, type: 'invalid_request_error', param: 'image', code: 'file_too_large', message: `Invalid file 'image': file too large. Expected a file of at most 64 KB (${CAP} bytes).` },
    },
    {
      field: 'mask',
      value: 'over the upload cap',
      error: new multer.MulterError('LIMIT_FILE_SIZE', 'mask'),
      answer: { status: 413, type: 'invalid_request_error', param: 'mask', code: 'file_too_large', message: `Invalid file 'mask': file too large. Expected a file of at most 64 KB (${CAP} bytes).` },
    },
    {
      field: 'image',
      value: `more than ${MULTIPART_LIMITS.files} files`,
      error: new multer.MulterError('LIMIT_FILE_COUNT'),
      answer: {
        status: 400,
        type: 'invalid_request_error',
        param: 'image',
        code: 'array_above_max_length',
        message: `Invalid 'image': array too long. Expected an array with maximum length 16, but got more than ${MULTIPART_LIMITS.files} files instead.`,
      },
    },
    ...['prompt', 'user'].map((field) => ({
      field,
      value: 'over 256 KB',
      error: new multer.MulterError('LIMIT_FIELD_VALUE', field),
      answer: {
        status: 400,
        type: 'invalid_request_error',
        param: field,
        code: 'string_above_max_length',
        message: `Invalid '${field}': string too long. Expected a string of at most ${MULTIPART_LIMITS.fieldSize} bytes, but got a longer string instead.`,
      },
    })),
    {
      field: 'body',
      value: `more than ${MULTIPART_LIMITS.fields} fields`,
      error: new multer.MulterError('LIMIT_FIELD_COUNT'),
      answer: { status: 400, type: 'invalid_request_error', param: null, code: 'too_many_parameters', message: expect.stringContaining(`at most ${MULTIPART_LIMITS.fields} fields`) },
    },
    { field: 'body', value: 'too many parts', error: new multer.MulterError('LIMIT_PART_COUNT'), answer: multipart(`more than ${MULTIPART_LIMITS.parts} parts`) },
    { field: 'body', value: 'a long field name', error: new multer.MulterError('LIMIT_FIELD_KEY'), answer: multipart(`a field name is longer than ${MULTIPART_LIMITS.fieldNameSize} characters`) },
    { field: 'body', value: 'a part without a name', error: new multer.MulterError('MISSING_FIELD_NAME'), answer: multipart('a part has no field name') },
    // busboy's own texts are safe to show, tidied into the sentence.
    { field: 'body', value: 'no boundary', error: new Error('Multipart: Boundary not found'), answer: multipart('boundary not found') },
    { field: 'body', value: 'cut off', error: new Error('Unexpected end of form'), answer: multipart('unexpected end of form') },
    { field: 'body', value: 'an error without text', error: new Error(''), answer: multipart('malformed body') },
  ])('answers $field=$value with $answer.status $answer.code', ({ error, answer }) => {
    const translated = fromMulterError(error, CAP);
    expect({ status: translated.status, ...translated.toBody().error }).toEqual(answer);
  });
});

describe('known uploads', () => {
  it('reuse the first copy and its sha256 for equal bytes, and hash bytes that only share a CRC key', () => {
    const caches = createRenderCaches(1 << 20);
    const bytes = Buffer.from('an upload of some bytes');
    const first = identify(bytes, caches.uploads);
    expect(first.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const again = identify(Buffer.from(bytes), caches.uploads);
    expect(again.buffer).toBe(bytes);
    expect(again.sha256).toBe(first.sha256);
    // Another upload under the same key (forged here) is compared, found different, and hashed.
    const other = Buffer.from('another upload, same key');
    caches.uploads.set(uploadKey(other), { buffer: Buffer.alloc(other.length), sha256: 'x' });
    expect(identify(other, caches.uploads).sha256).toBe(createHash('sha256').update(other).digest('hex'));
  });

  it('tell apart large uploads that differ only between the bytes their key samples', () => {
    const caches = createRenderCaches(16 << 20);
    const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const upload = Buffer.alloc(900_000, 7);
    const edited = Buffer.from(upload);
    edited[450_123] = 8; // past the first 4 KiB, before the last, off the sampled slices
    expect(uploadKey(edited)).toBe(uploadKey(upload));
    expect(identify(upload, caches.uploads).sha256).toBe(sha256(upload));
    expect(identify(edited, caches.uploads).sha256).toBe(sha256(edited));
    expect(identify(Buffer.from(edited), caches.uploads).buffer).toBe(edited);
    // A change at either end or in a sampled slice changes the key.
    for (const at of [0, upload.length - 1, 4096]) {
      const changed = Buffer.from(upload);
      changed[at] = 9;
      expect(uploadKey(changed)).not.toBe(uploadKey(upload));
    }
  });

  it('keeps none with a zero budget', () => {
    const caches = createRenderCaches(0, 0);
    identify(Buffer.from('bytes'), caches.uploads);
    caches.headers.set('a', 'unreadable');
    expect([caches.uploads.size, caches.headers.size]).toEqual([0, 0]);
  });
});

describe('nestsDeeperThan', () => {
  const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;

  it('lets an edit body through and refuses one a level past the bound', () => {
    expect(nestsDeeperThan({ images: [{ image_url: 'data:,' }], prompt: 'x' }, MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('walks 100,000 levels without recursion, and wide shallow bodies are not deep', () => {
    expect(nestsDeeperThan(nested(100_000), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan({ list: Array.from({ length: 10_000 }, (_, i) => ({ i })) }, MAX_JSON_DEPTH)).toBe(false);
    for (const scalar of [null, 1, 'x', true, undefined]) expect(nestsDeeperThan(scalar, 0)).toBe(false);
  });
});

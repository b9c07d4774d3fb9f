/**
 * inspect: each upload judged as the live API judges it, from its declared type and its header
 * only: the type first (for every part), then the bytes (readable, size, pixel count), then
 * the model's image rules (square, alpha) and the mask's (PNG, alpha, size of image 1).
 * Bytes whose header reads but whose pixels do not are decode's (decode.test.ts).
 */
import { defaultConfig } from '../../../server/config';
import { inspectUploads } from '../../../server/edits/inspect';
import type { UploadedFile, ValidatedForm } from '../../../server/edits/types';
import { findModelRules } from '../../../server/models/rules';
import { fixture } from '../../helpers/fixtures';
import { citingRequestId, refusalOf } from '../../helpers/refusal';
import { imageArray, upload, validatedForm, type FixtureName, FIXTURE_HEADERS } from '../../helpers/step-inputs';

const IRE = 'invalid_request_error';
const IGUE = 'image_generation_user_error';
const config = defaultConfig();

const png = (name: string, bytes?: Buffer) => upload(name, { mimetype: 'image/png', ...(bytes ? { bytes } : {}) });
const mask = (name: string) => upload(name, { field: 'mask', mimetype: 'image/png' });
/** A PNG whose signature says GIF. */
const wrongMagic = Buffer.concat([Buffer.from('GIF89a\0\0', 'latin1'), fixture('scene-512.png').subarray(8)]);
/** A valid RGBA PNG followed by zeros: more than dall-e-2's 4 MB. */
const over4Mb = Buffer.concat([fixture('scene-rgba-256.png'), Buffer.alloc(4 * 1024 * 1024)]);
const BOMB = '50000x50000 is 2500000000 pixels';

interface BadUpload {
  readonly field: string;
  /** The upload, as the title shows it. */
  readonly value: string;
  readonly form: ValidatedForm;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string;
  readonly message?: string | ReturnType<typeof expect.stringContaining>;
}

function bad(model: string, field: string, value: string, files: { images: UploadedFile[]; mask?: UploadedFile }, answer: Omit<BadUpload, 'field' | 'value' | 'form'>): BadUpload {
  return { field, value, form: validatedForm(model, files.images, files.mask), ...answer };
}

const notAFile = (param: string) => ({ status: 400, type: IRE, param, code: 'unsupported_file_mimetype' });
const unreadable = (position: number) => ({ status: 400, type: IGUE, param: null, code: 'invalid_image_file', message: citingRequestId(`Invalid image file or mode for image ${position}, please check your image file.`) });
const LEGACY = { status: 400, type: IRE, param: 'image', code: 'invalid_image_format', message: 'Uploaded image must be a PNG and less than 4 MB.' };
const badMask = (message?: string) => ({ status: 400, type: IRE, param: 'mask', code: 'invalid_mask_image', ...(message ? { message } : {}) });
const tooManyPixels = (param: string) => ({ status: 400, type: IRE, param, code: 'image_too_large', message: expect.stringContaining(BOMB) });
const SCENE = png('scene-512.png');

const cases: BadUpload[] = [
  // The declared type, before any byte is read.
  bad('gpt-image-1', 'image', 'scene-512.png as image/gif', { images: [upload('scene-512.png', { mimetype: 'image/gif' })] }, {
    ...notAFile('image'),
    message: "Invalid file 'image': unsupported mimetype ('image/gif'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.",
  }),
  bad('gpt-image-1', 'image', 'application/octet-stream (the node SDK without a type)', { images: [upload('scene-512.png', { mimetype: 'application/octet-stream' })] }, notAFile('image')),
  bad('gpt-image-1', 'image[1]', 'application/octet-stream', { images: [SCENE, upload('scene-512.png', { field: 'image[]', param: 'image[1]', mimetype: 'application/octet-stream' })] }, notAFile('image[1]')),
  bad('gpt-image-1', 'image[1]', 'a bad type after bad bytes (types are checked first)', { images: [png('x.png', Buffer.from('text')), upload('scene-512.png', { field: 'image[]', param: 'image[1]', mimetype: 'image/gif' })] }, notAFile('image[1]')),
  bad('dall-e-2', 'image', 'a JPEG', { images: [upload('scene-512.jpg')] }, {
    ...notAFile('image'),
    message: "Invalid file 'image': unsupported mimetype ('image/jpeg'). Supported file formats are 'image/png'.",
  }),
  bad('dall-e-2', 'image', 'a WebP', { images: [upload('scene-512.webp')] }, notAFile('image')),
  bad('gpt-image-1', 'mask', 'a JPEG', { images: [SCENE], mask: upload('scene-512.jpg', { field: 'mask' }) }, notAFile('mask')),
  // Bytes that are not the image they claim: GPT models name the image by position.
  bad('gpt-image-1', 'image', 'zero bytes', { images: [png('empty.png', Buffer.alloc(0))] }, unreadable(1)),
  bad('gpt-image-1', 'image', 'text named .png', { images: [png('not-an-image.png')] }, unreadable(1)),
  bad('gpt-image-1', 'image', 'wrong magic bytes', { images: [png('gif.png', wrongMagic)] }, unreadable(1)),
  bad('gpt-image-1', 'image', 'JPEG bytes declared as PNG', { images: [png('scene.png', fixture('scene-512.jpg'))] }, unreadable(1)),
  bad('gpt-image-1', 'image[1]', 'text named .png (the second image)', { images: imageArray(['scene-512.png', 'not-an-image.png']) }, unreadable(2)),
  // dall-e-2 answers all of these with its legacy text.
  bad('dall-e-2', 'image', 'zero bytes', { images: [png('empty.png', Buffer.alloc(0))] }, LEGACY),
  bad('dall-e-2', 'image', 'text named .png', { images: [png('not-an-image.png')] }, LEGACY),
  bad('dall-e-2', 'image', 'JPEG bytes declared as PNG', { images: [png('scene.png', fixture('scene-512.jpg'))] }, LEGACY),
  bad('dall-e-2', 'image', 'a file over 4 MB', { images: [png('big.png', over4Mb)] }, LEGACY),
  // Pixel counts are read from the header: nothing is decoded.
  bad('gpt-image-1', 'image', 'a 50000x50000 decompression bomb', { images: [png('bomb-50000x50000.png')] }, tooManyPixels('image')),
  bad('dall-e-2', 'image', 'a 50000x50000 decompression bomb', { images: [png('bomb-50000x50000.png')] }, tooManyPixels('image')),
  bad('gpt-image-1', 'mask', 'a 50000x50000 decompression bomb', { images: [SCENE], mask: mask('bomb-50000x50000.png') }, tooManyPixels('mask')),
  // The model's image rules.
  bad('dall-e-2', 'image', 'a 768x512 image', { images: [png('scene-768x512.png')] }, {
    status: 400,
    type: IRE,
    param: 'image',
    code: 'invalid_image',
    message: 'Invalid input image - expected an image with equal width and height, got 768x512 instead.',
  }),
  bad('dall-e-2', 'image', 'an RGB image and no mask', { images: [SCENE] }, { status: 400, type: IRE, param: 'image', code: 'invalid_image', message: "Invalid input image - format must be in ['RGBA', 'LA', 'L'], got RGB." }),
  bad('dall-e-2', 'image', 'a palette image without transparency and no mask', { images: [png('scene-palette-512.png')] }, { status: 400, type: IRE, param: 'image', code: 'invalid_image', message: "Invalid input image - format must be in ['RGBA', 'LA', 'L'], got P." }),
  // The mask's rules.
  bad('gpt-image-1', 'mask', 'a mask of another size', { images: [SCENE], mask: mask('mask-256.png') }, badMask('Invalid mask image format - mask size does not match image size')),
  bad('gpt-image-1', 'mask', 'a mask without alpha', { images: [SCENE], mask: mask('mask-no-alpha-512.png') }, badMask('Invalid mask image format - mask image missing alpha channel')),
  bad('gpt-image-1', 'mask', 'text named .png', { images: [SCENE], mask: mask('not-an-image.png') }, badMask('Invalid mask image format - mask must be a PNG file')),
];

describe('inspectUploads refuses what the live API refuses', () => {
  it.each(cases)('answers $field=$value with $status $code', async ({ form, status, type, param, code, message }) => {
    expect(await refusalOf(() => inspectUploads(form, config))).toEqual({ status, type, param, code, message: message ?? expect.any(String) });
  });

  // The live limits are megabytes; a row of the table with a 1000-byte limit shows the rule.
  it.each([
    { param: 'image', limit: { maxImageBytes: 1000 }, mask: undefined },
    { param: 'mask', limit: { maxMaskBytes: 1000 }, mask: mask('mask-512.png') },
  ])('refuses a $param over the model\'s byte limit with 400 file_too_large', async ({ param, limit, mask }) => {
    const form: ValidatedForm = { ...validatedForm('gpt-image-1', [SCENE], mask), rules: { ...findModelRules('gpt-image-1')!, ...limit } };
    expect(await refusalOf(() => inspectUploads(form, config))).toEqual({
      status: 400,
      type: IRE,
      param,
      code: 'file_too_large',
      message: `Invalid file '${param}': file too large. Expected a file of at most 1.0 KB (1000 bytes).`,
    });
  });
});

describe('inspectUploads accepts', () => {
  it.each([
    ['gpt-image-1', ['scene-512.png']],
    ['gpt-image-1', ['scene-512.jpg', 'scene-512.webp']],
    ['gpt-image-1', ['scene-animated-512.png', 'scene-16bit-512.png', 'scene-palette-512.png', 'scene-grey-512.png']],
    ['dall-e-2', ['scene-rgba-256.png']],
    ['dall-e-2', ['scene-grey-512.png']],
  ] as const)('describes %s inputs %j from their headers, numbered from 1', async (model, names) => {
    const images = names.length === 1 ? [upload(names[0]!)] : imageArray(names);
    const inputs = await inspectUploads(validatedForm(model, images), config);
    expect(inputs.mask).toBeUndefined();
    expect(inputs.images).toEqual(
      names.map((name: FixtureName, i) => ({
        param: images[i]!.param,
        position: i + 1,
        field: images[i]!.field,
        filename: name,
        mimetype: images[i]!.mimetype,
        ...FIXTURE_HEADERS[name],
        bytes: fixture(name).length,
        sha256: images[i]!.sha256,
        buffer: fixture(name),
      })),
    );
  });

  it('takes a palette image with a mask on dall-e-2: the mask, not the image, marks the edit', async () => {
    const inputs = await inspectUploads(validatedForm('dall-e-2', [png('scene-palette-512.png')], mask('mask-512.png')), config);
    expect(inputs.mask).toMatchObject({ param: 'mask', position: 0, format: 'png', width: 512, height: 512, hasAlpha: true });
  });

  it('takes 16 images on gpt-image-1', async () => {
    const inputs = await inspectUploads(validatedForm('gpt-image-1', imageArray(Array(16).fill('scene-256.png'))), config);
    expect(inputs.images.map((image) => image.position)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });
});

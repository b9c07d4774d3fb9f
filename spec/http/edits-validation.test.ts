/**
 * The model rules and schema checks of issue 3, as a table: what is sent, and the live API's
 * status, type, param and code for it. One problem per response, the first check that fails.
 */
import { postEdit, type EditFile } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { fixture } from '../helpers/fixtures';
import { testApp } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const IRE = 'invalid_request_error';
const IGUE = 'image_generation_user_error';

const png = (name = 'scene-512.png', field = 'image'): EditFile => ({ name, field });
const gpt = { model: 'gpt-image-1', prompt: 'add a red rose' };
const dalle = { model: 'dall-e-2', prompt: 'add a red rose' };
const rgba256 = png('scene-rgba-256.png');
/** A valid PNG followed by padding: over 4 MB before any pixel is looked at. */
const over4Mb = Buffer.concat([fixture('scene-rgba-256.png'), Buffer.alloc(4 * 1024 * 1024)]);

/** A live text that ends by citing this request's id (checked against x-request-id below). */
const citingRequestId = (text: string) =>
  new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} If you believe this is an error, contact us at help\\.openai\\.com and include the request ID req_[0-9a-f]{32}\\.$`);

interface Case {
  what: string;
  fields: Record<string, string | number | boolean>;
  files?: EditFile[];
  status: number;
  type: string;
  param: string | null;
  code: string | null;
  message?: string | RegExp;
}

const cases: Case[] = [
  { what: 'no image', fields: gpt, files: [], status: 400, type: IRE, param: 'image', code: 'missing_required_parameter', message: "Missing required parameter: 'image'." },
  { what: 'no prompt', fields: { model: 'gpt-image-1' }, status: 400, type: IRE, param: 'prompt', code: 'missing_required_parameter' },
  { what: 'image sent as text', fields: { ...gpt, image: 'not a file' }, files: [], status: 400, type: IRE, param: 'image', code: 'invalid_type', message: "Invalid type for 'image': expected one of an array of files or file, but got a string instead." },
  { what: 'an unknown model', fields: { ...gpt, model: 'dall-e-3' }, status: 400, type: IRE, param: 'model', code: 'invalid_value', message: /^Invalid value: 'dall-e-3'\. Supported values are: / },
  { what: 'an unknown field', fields: { ...gpt, style: 'vivid' }, status: 400, type: IRE, param: 'style', code: 'unknown_parameter', message: "Unknown parameter: 'style'." },
  { what: 'n=abc', fields: { ...gpt, n: 'abc' }, status: 400, type: IRE, param: 'n', code: 'invalid_type', message: "Invalid type for 'n': expected an integer, but got a string value that could not be converted into an integer." },
  { what: 'n=0', fields: { ...gpt, n: 0 }, status: 400, type: IRE, param: 'n', code: 'integer_below_min_value', message: "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead." },
  { what: 'n=11', fields: { ...gpt, n: 11 }, status: 400, type: IRE, param: 'n', code: 'integer_above_max_value' },
  { what: 'partial_images=4', fields: { ...gpt, partial_images: 4 }, status: 400, type: IRE, param: 'partial_images', code: 'integer_above_max_value' },
  { what: 'output_compression=101', fields: { ...gpt, output_compression: 101 }, status: 400, type: IRE, param: 'output_compression', code: 'integer_above_max_value' },
  { what: 'output_compression=-1', fields: { ...gpt, output_compression: -1 }, status: 400, type: IRE, param: 'output_compression', code: 'integer_below_min_value' },
  { what: 'stream=maybe', fields: { ...gpt, stream: 'maybe' }, status: 400, type: IRE, param: 'stream', code: 'invalid_type' },
  { what: 'gpt-image-1 with size=512x512', fields: { ...gpt, size: '512x512' }, status: 400, type: IRE, param: 'size', code: 'invalid_value', message: "Invalid value: '512x512'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'." },
  { what: 'gpt-image-1 with an unknown size', fields: { ...gpt, size: '999x999' }, status: 400, type: IRE, param: 'size', code: 'invalid_value', message: "Invalid value: '999x999'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'." },
  { what: 'dall-e-2 with size=1536x1024', fields: { ...dalle, size: '1536x1024' }, files: [rgba256], status: 400, type: IRE, param: 'size', code: 'invalid_value', message: "Invalid value: '1536x1024'. Supported values are: '256x256', '512x512', and '1024x1024'." },
  { what: 'gpt-image-1 with quality=standard', fields: { ...gpt, quality: 'standard' }, status: 400, type: IRE, param: 'quality', code: 'invalid_value', message: "Invalid value: 'standard'. Supported values are: 'low', 'medium', 'high', and 'auto'." },
  { what: 'dall-e-2 with quality=high', fields: { ...dalle, quality: 'high' }, files: [rgba256], status: 400, type: IRE, param: 'quality', code: 'invalid_value' },
  { what: 'dall-e-2 with one image as image[]', fields: dalle, files: [png('scene-rgba-256.png', 'image[]')], status: 400, type: IRE, param: 'image', code: 'invalid_type', message: "Invalid type for 'image': expected a file, but got an array instead." },
  { what: 'dall-e-2 with two images', fields: dalle, files: [rgba256, rgba256], status: 400, type: IRE, param: 'image', code: 'invalid_type' },
  { what: 'gpt-image-1 with 17 images', fields: gpt, files: Array.from({ length: 17 }, () => png('scene-256.png', 'image[]')), status: 400, type: IRE, param: 'image', code: 'array_above_max_length' },
  { what: 'gpt-image-1 with an image/gif part', fields: gpt, files: [{ name: 'scene-512.png', contentType: 'image/gif' }], status: 400, type: IRE, param: 'image', code: 'unsupported_file_mimetype', message: "Invalid file 'image': unsupported mimetype ('image/gif'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'." },
  { what: 'gpt-image-1 with an octet-stream image[] part', fields: gpt, files: [png('scene-512.png', 'image[]'), { name: 'scene-512.png', field: 'image[]', contentType: 'application/octet-stream' }], status: 400, type: IRE, param: 'image[1]', code: 'unsupported_file_mimetype' },
  { what: 'dall-e-2 with a JPEG', fields: dalle, files: [png('scene-512.jpg')], status: 400, type: IRE, param: 'image', code: 'unsupported_file_mimetype', message: "Invalid file 'image': unsupported mimetype ('image/jpeg'). Supported file formats are 'image/png'." },
  { what: 'gpt-image-1 with text bytes named a.png', fields: gpt, files: [png('not-an-image.png')], status: 400, type: IGUE, param: null, code: 'invalid_image_file', message: citingRequestId('Invalid image file or mode for image 1, please check your image file.') },
  { what: 'gpt-image-1 with the second image not an image', fields: gpt, files: [png('scene-512.png', 'image[]'), png('not-an-image.png', 'image[]')], status: 400, type: IGUE, param: null, code: 'invalid_image_file', message: citingRequestId('Invalid image file or mode for image 2, please check your image file.') },
  { what: 'gpt-image-1 with JPEG bytes declared as PNG', fields: gpt, files: [{ name: 'scene-512.jpg', contentType: 'image/png' }], status: 400, type: IGUE, param: null, code: 'invalid_image_file' },
  { what: 'dall-e-2 with text bytes named a.png', fields: dalle, files: [png('not-an-image.png')], status: 400, type: IRE, param: 'image', code: 'invalid_image_format', message: 'Uploaded image must be a PNG and less than 4 MB.' },
  { what: 'dall-e-2 with a file over 4 MB', fields: dalle, files: [{ name: 'big.png', bytes: over4Mb }], status: 400, type: IRE, param: 'image', code: 'invalid_image_format' },
  { what: 'dall-e-2 with a non-square image', fields: dalle, files: [png('scene-768x512.png')], status: 400, type: IRE, param: 'image', code: 'invalid_image', message: 'Invalid input image - expected an image with equal width and height, got 768x512 instead.' },
  { what: 'dall-e-2 with an RGB image and no mask', fields: dalle, files: [png('scene-512.png')], status: 400, type: IRE, param: 'image', code: 'invalid_image', message: "Invalid input image - format must be in ['RGBA', 'LA', 'L'], got RGB." },
  { what: 'the JSON images field sent as a multipart part', fields: gpt, files: [png(), png('scene-512.png', 'images')], status: 400, type: IRE, param: 'images', code: 'invalid_value', message: "Unknown parameter: 'images'. For multipart/form-data use 'image' or 'image[]'." },
  { what: 'the JSON images field sent as multipart text', fields: { ...gpt, images: 'a.png' }, status: 400, type: IRE, param: 'images', code: 'invalid_value', message: "Unknown parameter: 'images'. For multipart/form-data use 'image' or 'image[]'." },
  { what: 'a mask of another size', fields: gpt, files: [png(), png('mask-256.png', 'mask')], status: 400, type: IRE, param: 'mask', code: 'invalid_mask_image', message: 'Invalid mask image format - mask size does not match image size' },
  { what: 'a mask without alpha', fields: gpt, files: [png(), png('mask-no-alpha-512.png', 'mask')], status: 400, type: IRE, param: 'mask', code: 'invalid_mask_image', message: 'Invalid mask image format - mask image missing alpha channel' },
  { what: 'a JPEG mask', fields: gpt, files: [png(), png('scene-512.jpg', 'mask')], status: 400, type: IRE, param: 'mask', code: 'unsupported_file_mimetype' },
  { what: 'transparent background with jpeg', fields: { ...gpt, background: 'transparent', output_format: 'jpeg' }, status: 400, type: IRE, param: 'background', code: 'invalid_value' },
  { what: 'dall-e-2 with background=transparent', fields: { ...dalle, background: 'transparent' }, files: [rgba256], status: 400, type: IRE, param: 'background', code: 'unsupported_parameter' },
  { what: 'dall-e-2 with output_format=webp', fields: { ...dalle, output_format: 'webp' }, files: [rgba256], status: 400, type: IRE, param: 'output_format', code: 'unsupported_parameter' },
  { what: 'dall-e-2 with stream=true', fields: { ...dalle, stream: true }, files: [rgba256], status: 400, type: IRE, param: 'stream', code: 'unsupported_parameter' },
  { what: 'dall-e-2 with input_fidelity=high', fields: { ...dalle, input_fidelity: 'high' }, files: [rgba256], status: 400, type: IRE, param: 'input_fidelity', code: 'invalid_input_fidelity_model' },
  { what: 'gpt-image-1-mini with input_fidelity=high', fields: { ...gpt, model: 'gpt-image-1-mini', input_fidelity: 'high' }, status: 400, type: IRE, param: 'input_fidelity', code: 'invalid_input_fidelity_model', message: "The model 'gpt-image-1-mini' does not support the 'input_fidelity' parameter." },
  { what: 'stream=true with n=2', fields: { ...gpt, stream: true, n: 2 }, status: 400, type: IRE, param: 'n', code: 'invalid_value', message: 'Streaming is only supported with n=1.' },
  { what: 'a 1001-character prompt on dall-e-2', fields: { ...dalle, prompt: 'a'.repeat(1001) }, files: [rgba256], status: 400, type: IRE, param: 'prompt', code: 'string_above_max_length', message: "Invalid 'prompt': string too long. Expected a string with maximum length 1000, but got a string with length 1001 instead." },
  { what: 'a 32001-character prompt on gpt-image-1', fields: { ...gpt, prompt: 'a'.repeat(32001) }, status: 400, type: IRE, param: 'prompt', code: 'string_above_max_length' },
  { what: 'an empty prompt', fields: { ...gpt, prompt: '' }, status: 400, type: IRE, param: 'prompt', code: 'empty_string' },
];

describe('POST /v1/images/edits rejects what the live API rejects', () => {
  const { app } = testApp();

  it.each(cases)('$what -> $status $code', async ({ fields, files, status, type, param, code, message }) => {
    const res = await postEdit(app, fields, files);
    expect(res.status).toBe(status);
    expectToMatchSpec(res, EDITS);
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    if (status === 200) return;
    expect(res.body.error).toMatchObject({ type, param, code });
    if (typeof message === 'string') expect(res.body.error.message).toBe(message);
    else if (message) expect(res.body.error.message).toMatch(message);
    if (/request ID req_/.test(res.body.error.message)) expect(res.body.error.message).toContain(`request ID ${res.headers['x-request-id']}.`);
  });

  it('accepts a 1000-character prompt on dall-e-2 and a 32000-character one on gpt-image-1', async () => {
    const [d, g] = await Promise.all([
      postEdit(app, { ...dalle, prompt: 'a'.repeat(1000), size: '256x256', response_format: 'b64_json' }, [rgba256]),
      postEdit(app, { ...gpt, prompt: 'a'.repeat(32000), quality: 'low' }, [png('scene-256.png')]),
    ]);
    expect([d.status, g.status]).toEqual([200, 200]);
  });

  it('lets dall-e-2 take GPT-only fields sent with their default values, as SDKs may send them', async () => {
    const res = await postEdit(app, { ...dalle, stream: false, background: 'auto', output_format: 'png', partial_images: 0, size: '256x256' }, [rgba256]);
    expect(res.status).toBe(200);
    expectToMatchSpec(res, EDITS);
  });
});

describe('the openai profile answers response_format on GPT image models as the live API does', () => {
  // An API date when both gpt-image-1 and dall-e-2 were still served.
  const { app } = testApp({ profile: 'openai', apiDate: '2026-05-01' });

  it('rejects response_format on gpt-image-1 with unknown_parameter', async () => {
    const res = await postEdit(app, { ...gpt, response_format: 'url' });
    expect(res.status).toBe(400);
    expectToMatchSpec(res, EDITS);
    expect(res.body.error).toEqual({ message: "Unknown parameter: 'response_format'.", type: IRE, param: 'response_format', code: 'unknown_parameter' });
  });

  it('still honours response_format on dall-e-2', async () => {
    const res = await postEdit(app, { ...dalle, response_format: 'b64_json', size: '256x256' }, [rgba256]);
    expect(res.status).toBe(200);
    expect(res.body.data[0].b64_json).toEqual(expect.any(String));
  });
});

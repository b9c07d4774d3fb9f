/**
 * decode: every upload's pixels decoded and fitted to the plan's size, the mask turned into
 * per-pixel editability. The last step that can refuse bytes: a header that read but pixels
 * that do not are answered here, naming the image by its position (or with dall-e-2's legacy
 * text), so render never has to refuse anything.
 */
import { editBoxes } from '../../../server/images/edit-boxes';
import { decodeInputs } from '../../../server/edits/decode';
import type { EditPlan, InspectedImage, InspectedInputs } from '../../../server/edits/types';
import { createRenderCaches, type RenderCaches } from '../../../server/images/render-caches';
import { decodePng, fixture } from '../../helpers/fixtures';
import { citingRequestId, refusalOf } from '../../helpers/refusal';
import { inspected, inspectedInputs, type FixtureName } from '../../helpers/step-inputs';
import { testPlan } from '../../helpers/test-plan';

const MAX_PIXELS = 8192 * 8192;
const caches = (): RenderCaches => createRenderCaches(16 << 20, 64 << 20);
const plan = (overrides: Partial<EditPlan> = {}) => testPlan({ size: '1024x1024', width: 512, height: 512, ...overrides });
const decode = (p: EditPlan, inputs: InspectedInputs, c = caches()) => decodeInputs(p, inputs, { caches: c, maxInputPixels: MAX_PIXELS });

/** A fixture whose header inspect accepted, with other bytes (and so another hash). */
const withBytes = (name: FixtureName, position: number, buffer: Buffer): InspectedImage => inspected(name, position, { buffer, bytes: buffer.length, sha256: `${position}`.repeat(64) });
const cutMidIdat = fixture('scene-512.png').subarray(0, 3000);

const IGUE = 'image_generation_user_error';
const unreadable = (position: number) => ({ status: 400, type: IGUE, param: null, code: 'invalid_image_file', message: citingRequestId(`Invalid image file or mode for image ${position}, please check your image file.`) });

describe('decodeInputs refuses pixels that do not decode', () => {
  it.each([
    { field: 'image', value: 'a PNG with a damaged IDAT stream', images: [inspected('corrupt-idat-512.png', 1)], answer: unreadable(1) },
    { field: 'image', value: 'a PNG with a bad IDAT CRC', images: [inspected('corrupt-crc-512.png', 1)], answer: unreadable(1) },
    { field: 'image', value: 'a PNG cut off mid-IDAT', images: [withBytes('scene-512.png', 1, cutMidIdat)], answer: unreadable(1) },
    // Every upload is decoded, not only the first (the one edited): the damaged one is named by position.
    { field: 'image[1]', value: 'a damaged second image', images: [inspected('scene-512.png', 1), inspected('corrupt-idat-512.png', 2)], answer: unreadable(2) },
    {
      field: 'image[2]',
      value: 'a damaged third image',
      images: [inspected('scene-512.png', 1), inspected('scene-256.png', 2), inspected('corrupt-idat-512.png', 3)],
      answer: unreadable(3),
    },
  ])('answers $field=$value with $answer.status $answer.code', async ({ images, answer }) => {
    expect(await refusalOf(() => decode(plan(), { images, mask: undefined }))).toEqual(answer);
  });

  it('answers with dall-e-2\'s legacy text when the plan says so', async () => {
    const inputs = { images: [inspected('corrupt-idat-512.png', 1)], mask: inspected('mask-512.png', 0) };
    expect(await refusalOf(() => decode(plan({ legacyPngCheck: true, editArea: 'mask' }), inputs))).toEqual({
      status: 400,
      type: 'invalid_request_error',
      param: 'image',
      code: 'invalid_image_format',
      message: 'Uploaded image must be a PNG and less than 4 MB.',
    });
  });

  it('answers a mask whose pixels do not decode as a mask that is not a PNG', async () => {
    const inputs = { images: [inspected('scene-512.png', 1)], mask: inspected('corrupt-idat-512.png', 0, { hasAlpha: true }) };
    expect(await refusalOf(() => decode(plan({ editArea: 'mask' }), inputs))).toEqual({
      status: 400,
      type: 'invalid_request_error',
      param: 'mask',
      code: 'invalid_mask_image',
      message: 'Invalid mask image format - mask must be a PNG file',
    });
  });
});

describe('decodeInputs', () => {
  /** The alpha channel of a PNG fixture, inverted: what the edit may repaint. */
  const invertedAlpha = (name: string) => {
    const { data } = decodePng(fixture(name));
    return Uint8Array.from({ length: data.length / 4 }, (_, p) => 255 - data[p * 4 + 3]!);
  };

  it('gives the first image as RGBA of the output size, its pixels as an independent decoder reads them', async () => {
    const decoded = await decode(plan(), inputsOf(['scene-512.png', 'scene-256.png']));
    expect([decoded.base.width, decoded.base.height]).toEqual([512, 512]);
    expect(decoded.base.data.equals(decodePng(fixture('scene-512.png')).data)).toBe(true);
  });

  it('fits an image of another size to the output by cover, centred', async () => {
    const decoded = await decode(plan({ width: 1536, height: 1024 }), inputsOf(['scene-256.png']));
    expect([decoded.base.width, decoded.base.height, decoded.base.data.length]).toEqual([1536, 1024, 1536 * 1024 * 4]);
  });

  it('edits the whole image when the plan says so: no editability, boxes over everything', async () => {
    const decoded = await decode(plan({ editArea: 'whole' }), inputsOf(['scene-512.png']));
    expect(decoded.editability).toBeNull();
    const whole = { x0: 0, y0: 0, x1: 511, y1: 511 };
    expect(decoded.boxes).toEqual(editBoxes(null, 512, 512));
    expect(decoded.boxes).toMatchObject({ shapes: whole, paint: whole });
  });

  it('makes the mask\'s transparent pixels editable (OpenAI masks mark the edit with alpha 0)', async () => {
    const decoded = await decode(plan({ editArea: 'mask' }), inputsOf(['scene-512.png'], 'mask-512.png'));
    expect(decoded.editability).toEqual(invertedAlpha('mask-512.png'));
    // The mask's disc is centred: the box that bounds it is inside the image and not all of it.
    const { paint } = decoded.boxes;
    expect(paint.x0).toBeGreaterThan(0);
    expect(paint.x1).toBeLessThan(511);
    expect(Math.abs(511 - paint.x1 - paint.x0)).toBeLessThanOrEqual(1);
  });

  it('makes the image\'s own transparent pixels editable when there is no mask (dall-e-2)', async () => {
    const decoded = await decode(plan({ editArea: 'alpha' }), inputsOf(['scene-rgba-512.png']));
    expect(decoded.editability).toEqual(invertedAlpha('scene-rgba-512.png'));
  });

  it('names the base by upload hash and size, and knows when it fitted it before', async () => {
    const shared = caches();
    const inputs = inputsOf(['scene-512.png']);
    const first = await decode(plan(), inputs, shared);
    const again = await decode(plan(), inputs, shared);
    expect(first.baseKey).toBe(`${inputs.images[0]!.sha256}:512x512`);
    expect([first.seenBefore, again.seenBefore]).toEqual([false, true]);
    expect(again.base.data.equals(first.base.data)).toBe(true);
  });
});

function inputsOf(images: FixtureName[], mask?: FixtureName): InspectedInputs {
  return inspectedInputs(images, mask);
}

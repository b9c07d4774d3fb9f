/**
 * respond (JSON): the plan, the images and the usage -> the ImagesResponse body. GPT image
 * models echo the resolved values and carry usage; dall-e-2 answers created and data only.
 * Every body is checked against openapi.yaml.
 */
import { buildImagesResponse } from '../../../server/edits/respond-json';
import { expectToMatchSchema } from '../../helpers/expect-to-match-spec';
import { testPlan } from '../../helpers/test-plan';

const CREATED = 1_767_225_600;
const USAGE = { input_tokens: 196, input_tokens_details: { image_tokens: 194, text_tokens: 2 }, output_tokens: 544, total_tokens: 740 };
const IMAGES = [Buffer.from('first image'), Buffer.from('second image')];

/** A publisher that names each image by its position and records what it was given. */
function publisher() {
  const published: Buffer[] = [];
  const publish = (bytes: Buffer) => `http://127.0.0.1:4010/__sandbox/files/img-${published.push(bytes)}.png`;
  return { published, publish };
}

describe('buildImagesResponse', () => {
  it('answers a GPT image model with created, the resolved values, data and usage, in the live order', () => {
    const plan = testPlan({ n: 2, background: 'transparent', outputFormat: 'webp', quality: 'medium', size: '1536x1024' });
    const body = buildImagesResponse(plan, IMAGES, USAGE, CREATED, publisher().publish);
    expectToMatchSchema(body, 'ImagesResponse');
    expect(Object.keys(body)).toEqual(['created', 'background', 'output_format', 'quality', 'size', 'data', 'usage']);
    expect(body).toEqual({
      created: CREATED,
      background: 'transparent',
      output_format: 'webp',
      quality: 'medium',
      size: '1536x1024',
      data: IMAGES.map((image) => ({ b64_json: image.toString('base64') })),
      usage: USAGE,
    });
  });

  it('carries the usage as accounted, output_tokens_details included (gpt-image-2 and later)', () => {
    const usage = { ...USAGE, output_tokens_details: { image_tokens: 544, text_tokens: 0 } };
    const body = buildImagesResponse(testPlan({ n: 2, outputTokensDetails: true }), IMAGES, usage, CREATED, publisher().publish);
    expectToMatchSchema(body, 'ImagesResponse');
    expect(body.usage).toEqual(usage);
  });

  it('answers dall-e-2 with created and data only', () => {
    const plan = testPlan({ model: 'dall-e-2', quality: 'standard', reportsUsage: false, outputTokensPerImage: 0 });
    const body = buildImagesResponse(plan, IMAGES.slice(0, 1), undefined, CREATED, publisher().publish);
    expectToMatchSchema(body, 'ImagesResponse');
    expect(body).toEqual({ created: CREATED, data: [{ b64_json: IMAGES[0]!.toString('base64') }] });
  });

  it('publishes each image once, in order, for response_format=url', () => {
    const { published, publish } = publisher();
    const body = buildImagesResponse(testPlan({ n: 2, responseFormat: 'url' }), IMAGES, USAGE, CREATED, publish);
    expectToMatchSchema(body, 'ImagesResponse');
    expect(published).toEqual(IMAGES);
    expect(body.data).toEqual([{ url: 'http://127.0.0.1:4010/__sandbox/files/img-1.png' }, { url: 'http://127.0.0.1:4010/__sandbox/files/img-2.png' }]);
  });

  it('publishes nothing for b64_json', () => {
    const { published, publish } = publisher();
    buildImagesResponse(testPlan(), IMAGES.slice(0, 1), USAGE, CREATED, publish);
    expect(published).toEqual([]);
  });
});

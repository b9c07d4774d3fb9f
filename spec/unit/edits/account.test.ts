/**
 * account: usage from the plan and the inspected inputs only. Input = the prompt's text
 * tokens + every input image's tokens by the model's accounting (512-px tiles, or 32-px
 * patches for gpt-image-2 and later; the mask is free; high fidelity adds a surcharge for the
 * first image where the model bills one); output = the plan's tokens per image times n, plus
 * the plan's tokens per streamed partial image. A JSON answer of gpt-image-2 and later adds
 * output_tokens_details; a stream's usage never does.
 * @see ../shared/reference/tokens.md and models-2026.md §6 (the worked figures below)
 */
import { accountUsage } from '../../../server/edits/account';
import type { EditPlan } from '../../../server/edits/types';
import { inspectedInputs } from '../../helpers/step-inputs';
import { testPlan } from '../../helpers/test-plan';

/** 'hello world' is 2 tokens of o200k_base (unit/usage/count-text-tokens.test.ts). */
const plan = (overrides: Partial<EditPlan> = {}) => testPlan({ prompt: 'hello world', outputTokensPerImage: 272, ...overrides });

describe('accountUsage', () => {
  it.each([
    { what: 'one square image', plan: plan(), images: ['scene-512.png'] as const, image: 194, output: 272 },
    { what: 'a square and an oblong image', plan: plan(), images: ['scene-512.png', 'scene-768x512.png'] as const, image: 194 + 323, output: 272 },
    { what: 'a square first image at high fidelity', plan: plan({ inputFidelity: 'high' }), images: ['scene-512.png'] as const, image: 194 + 4160, output: 272 },
    { what: 'an oblong first image at high fidelity', plan: plan({ inputFidelity: 'high' }), images: ['scene-768x512.png', 'scene-512.png'] as const, image: 323 + 194 + 6240, output: 272 },
    { what: 'n=3', plan: plan({ n: 3 }), images: ['scene-512.png'] as const, image: 194, output: 3 * 272 },
    { what: 'another size\'s output tokens', plan: plan({ outputTokensPerImage: 408 }), images: ['scene-512.png'] as const, image: 194, output: 408 },
    { what: 'a square first image at high fidelity on a model without the surcharge', plan: plan({ inputFidelity: 'high', highFidelitySurcharge: false }), images: ['scene-512.png'] as const, image: 194, output: 272 },
    // 32-px patches after magnifying toward a 1024-px long edge: 512x512 is 32 x 32 patches, 768x512 is 32 x 22.
    { what: 'a square image in patches', plan: plan({ inputImageTokens: 'patches-32' }), images: ['scene-512.png'] as const, image: 1024, output: 272 },
    { what: 'a square and an oblong image in patches', plan: plan({ inputImageTokens: 'patches-32' }), images: ['scene-512.png', 'scene-768x512.png'] as const, image: 1024 + 32 * 22, output: 272 },
    { what: 'three streamed partial images, 100 output tokens each', plan: plan({ stream: true, partialImages: 3 }), images: ['scene-512.png'] as const, image: 194, output: 272 + 3 * 100 },
    { what: 'partial_images without stream (no partials are sent)', plan: plan({ partialImages: 3 }), images: ['scene-512.png'] as const, image: 194, output: 272 },
  ])('bills $what: $image image tokens, $output output tokens', ({ plan: p, images, image, output }) => {
    expect(accountUsage(p, inspectedInputs(images))).toEqual({
      input_tokens: 2 + image,
      input_tokens_details: { image_tokens: image, text_tokens: 2 },
      output_tokens: output,
      total_tokens: 2 + image + output,
    });
  });

  it('does not bill the mask', () => {
    expect(accountUsage(plan(), inspectedInputs(['scene-512.png'], 'mask-512.png'))).toEqual(accountUsage(plan(), inspectedInputs(['scene-512.png'])));
  });

  it('details the output tokens of a JSON answer where the model reports them, never of a stream', () => {
    const inputs = inspectedInputs(['scene-512.png']);
    const json = accountUsage(plan({ outputTokensDetails: true, n: 2 }), inputs)!;
    expect(Object.keys(json)).toEqual(['input_tokens', 'input_tokens_details', 'output_tokens', 'output_tokens_details', 'total_tokens']);
    expect(json.output_tokens_details).toEqual({ image_tokens: 2 * 272, text_tokens: 0 });
    expect(accountUsage(plan({ outputTokensDetails: true, stream: true, partialImages: 1 }), inputs)).not.toHaveProperty('output_tokens_details');
  });

  it('gives no usage for a model whose answers carry none (dall-e-2)', () => {
    expect(accountUsage(plan({ model: 'dall-e-2', reportsUsage: false, outputTokensPerImage: 0 }), inspectedInputs(['scene-rgba-256.png']))).toBeUndefined();
  });
});

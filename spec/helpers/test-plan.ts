/**
 * A complete EditPlan built by hand, for tests that start at the pipeline's seam (render,
 * respond) without a request: a gpt-image-1 1024x1024 low PNG edit of the whole image,
 * with whatever the test overrides.
 */
import type { EditPlan } from '../../server/edits/types';

export function testPlan(overrides: Partial<EditPlan> = {}): EditPlan {
  return {
    model: 'gpt-image-1',
    prompt: 'add a red rose',
    n: 1,
    size: '1024x1024',
    width: 1024,
    height: 1024,
    quality: 'low',
    background: 'opaque',
    outputFormat: 'png',
    outputCompression: 100,
    inputFidelity: 'low',
    responseFormat: 'b64_json',
    stream: false,
    partialImages: 0,
    editArea: 'whole',
    editStrength: 0.7,
    reportsUsage: true,
    outputTokensPerImage: 272,
    inputImageTokens: 'tiles-512',
    highFidelitySurcharge: true,
    partialImageTokens: 100,
    outputTokensDetails: false,
    legacyPngCheck: false,
    seed: 'seed',
    ...overrides,
  };
}

/**
 * EditPlan + inputs -> usage, for models whose responses carry it (not dall-e-2).
 * input = text (prompt, real tokenizer) + image (every input image; the mask is free);
 * output = the per-quality-and-size table times n; total = input + output.
 * Streamed partial previews are not billed here, so a streamed answer's usage equals the
 * non-streamed one's. @see ../shared/reference/tokens.md
 */
import type { components } from '../contract/openapi-types.gen';
import { countImageTokens, countPatchTokens, highFidelitySurcharge } from '../usage/count-image-tokens';
import { countTextTokens } from '../usage/count-text-tokens';
import type { EditPlan, InspectedInputs } from './types';

export type Usage = components['schemas']['ImagesUsage'];

export function accountUsage(plan: EditPlan, inputs: InspectedInputs): Usage | undefined {
  if (!plan.reportsUsage) return undefined;
  const textTokens = countTextTokens(plan.prompt);
  const countImage = plan.inputImageTokens === 'patches-32' ? countPatchTokens : countImageTokens;
  let imageTokens = 0;
  for (const image of inputs.images) imageTokens += countImage(image.width, image.height);
  const first = inputs.images[0];
  if (plan.highFidelitySurcharge && plan.inputFidelity === 'high' && first) imageTokens += highFidelitySurcharge(first.width, first.height);
  const outputTokens = plan.outputTokensPerImage * plan.n;
  const inputTokens = textTokens + imageTokens;
  return {
    input_tokens: inputTokens,
    input_tokens_details: { image_tokens: imageTokens, text_tokens: textTokens },
    output_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
}

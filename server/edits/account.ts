/**
 * EditPlan + inputs -> usage, for models whose responses carry it (not dall-e-2), as billed
 * today: input = text (prompt, real tokenizer) + image (every input image, by the model's
 * accounting; the mask is free); output = the model's tokens per image times n, plus 100 per
 * streamed partial image; total = input + output. A JSON answer of gpt-image-2 and later adds
 * `output_tokens_details` (`image_tokens` = output, `text_tokens` 0); a stream's `completed`
 * event never does, as live. @see ../shared/reference/tokens.md and models-2026.md §6
 */
import type { components } from '../contract/openapi-types.gen';
import { countImageTokens, countPatchTokens, highFidelitySurcharge } from '../usage/count-image-tokens';
import { countTextTokens } from '../usage/count-text-tokens';
import type { EditPlan, InspectedInputs } from './types';

/** The usage of a JSON answer; a stream's `completed.usage` is the same without `output_tokens_details`. */
export type Usage = components['schemas']['ImageGenUsage'];

export function accountUsage(plan: EditPlan, inputs: InspectedInputs): Usage | undefined {
  if (!plan.reportsUsage) return undefined;
  const textTokens = countTextTokens(plan.prompt);
  const countImage = plan.inputImageTokens === 'patches-32' ? countPatchTokens : countImageTokens;
  let imageTokens = 0;
  for (const image of inputs.images) imageTokens += countImage(image.width, image.height);
  const first = inputs.images[0];
  if (plan.highFidelitySurcharge && plan.inputFidelity === 'high' && first) imageTokens += highFidelitySurcharge(first.width, first.height);
  const partialTokens = plan.stream ? plan.partialImages * plan.partialImageTokens : 0;
  const outputTokens = plan.outputTokensPerImage * plan.n + partialTokens;
  const inputTokens = textTokens + imageTokens;
  // Keys in the live order (alphabetical in the captured payloads).
  return {
    input_tokens: inputTokens,
    input_tokens_details: { image_tokens: imageTokens, text_tokens: textTokens },
    output_tokens: outputTokens,
    ...(plan.outputTokensDetails && !plan.stream ? { output_tokens_details: { image_tokens: outputTokens, text_tokens: 0 } } : {}),
    total_tokens: inputTokens + outputTokens,
  };
}

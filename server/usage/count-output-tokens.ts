/**
 * Output image tokens of one image: the model's published table, or gpt-image-2's
 * reconstructed formula (integer arithmetic, exact against every live and official figure
 * found): with q the quality's factor and L, S the long and short edges,
 *   f = floor((2*q*S + L) / (2*L));  tokens = ceil(q*f*(2_000_000 + W*H) / 4_000_000).
 * @see ../shared/reference/models-2026.md §6.2
 */
import type { GptQuality, TokenRules } from '../models/rules';

export function gptImage2OutputTokens(q: number, width: number, height: number): number {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const factor = Math.floor((2 * q * short + long) / (2 * long));
  return Math.ceil((q * factor * (2_000_000 + width * height)) / 4_000_000);
}

/** Tokens of one output image at this quality and size; undefined when the model's table has no such cell. */
export function outputTokensPerImage(output: TokenRules['output'], quality: GptQuality, width: number, height: number): number | undefined {
  if (output.kind === 'formula') return gptImage2OutputTokens(output.factors[quality], width, height);
  return output.table[quality]?.[`${width}x${height}`];
}

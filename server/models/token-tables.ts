/**
 * The token figures the usage accounting multiplies, per model family, in one place.
 * Figures the reference leaves unknown are the sandbox's own choices, marked `@note` and
 * listed in the README's table of the sandbox's choices.
 * @see ../shared/reference/tokens.md and models-2026.md §6
 */

/** Resolved output qualities of the GPT image models (2.5 and 2.6 add xhigh and max). */
export type GptQuality = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** Output image tokens per image, by quality and standard size. */
export type OutputTokenTable = Readonly<Partial<Record<GptQuality, Readonly<Record<string, number>>>>>;

/** gpt-image-1's published table (image generation guide, "Cost and latency"). */
export const GPT_IMAGE_1_OUTPUT_TOKENS: OutputTokenTable = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};

/**
 * The `q` of gpt-image-2's reconstructed output formula (models-2026.md §6.2), per quality.
 * @note xhigh and max are the sandbox's choice (144, 192: the reference's suggestion); the
 * live counts of 2.5/2.6 are unpublished, so they use gpt-image-2's formula too.
 */
export const GPT_IMAGE_2_QUALITY_FACTORS: Readonly<Record<GptQuality, number>> = {
  low: 16,
  medium: 48,
  high: 96,
  xhigh: 144,
  max: 192,
};

/** Each streamed partial image adds this many output tokens (image generation guide). */
export const PARTIAL_IMAGE_OUTPUT_TOKENS = 100;

/** gpt-image-1's input image tokens: 65 + 129 per 512-px tile (images-and-vision guide). */
export const TILE_RULE = {
  /** Fit inside this square first. */
  fitInside: 2048,
  /** Then scale the short side down to this. */
  shortSide: 512,
  tile: 512,
  baseTokens: 65,
  tileTokens: 129,
} as const;

/** input_fidelity=high on gpt-image-1.x: a surcharge on the first image (newer guide's figures). */
export const HIGH_FIDELITY_SURCHARGE = { square: 4160, oblong: 6240 } as const;

/**
 * gpt-image-2 and later, input image tokens: 32-px patches after magnifying small images
 * (at most 2x) toward a 1024-px long edge, the canvas aspect clamped to 1:3..3:1, at most
 * 1536 patches per image (models-2026.md §6.5, reverse-engineered outline).
 * @note One token per patch is the sandbox's choice: the per-patch multiplier is unpublished.
 */
export const PATCH_RULE = {
  patch: 32,
  targetLongEdge: 1024,
  maxMagnification: 2,
  maxAspect: 3,
  maxPatches: 1536,
  tokensPerPatch: 1,
} as const;

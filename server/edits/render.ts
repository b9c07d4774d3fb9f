/**
 * EditPlan + DecodedInputs -> one encoded output image: a pure function of its arguments.
 * The first image (with the mask) is the one edited, as the live API applies the mask to the
 * first image; each output index has its own seed, so the n images of one request differ;
 * `reveal` < 1 draws a streamed partial preview. Caching lives around it (cached-render.ts).
 */
import { encodeImage } from '../images/encode-image';
import { encodePng, type PngBandCache, type PngRowsCache } from '../images/encode-png';
import { applySpans, composePicture, paintSpans } from '../images/paint-edit';
import { promptPalette } from '../images/prompt-palette';
import { createRng, imageSeed } from '../images/seed';
import type { DecodedInputs } from './decode';
import type { EditPlan } from './types';

/**
 * What a PNG reuses of the unedited input: its encoded bands, and the filtered rows around
 * the edit area. A memo, not an input: the bytes are the same with or without it.
 */
export interface RenderMemo {
  readonly pngBands: PngBandCache;
  readonly pngRows: PngRowsCache;
}

export async function renderImage(plan: EditPlan, decoded: DecodedInputs, index: number, reveal = 1, memo?: RenderMemo): Promise<Buffer> {
  const rng = createRng(imageSeed(plan.seed, index));
  const palette = promptPalette(plan.prompt, rng);
  const { boxes } = decoded;
  const picture = composePicture(palette, rng, decoded.editability, plan.width, plan.height, boxes);
  const transparent = plan.background === 'transparent';
  // Only the edit's spans are painted; the encoders take the rest from the input itself.
  const painted = paintSpans(decoded.base, picture, { editability: decoded.editability, strength: plan.editStrength, transparentBackdrop: transparent, reveal, boxes });
  if (plan.outputFormat === 'png') {
    // With or without the memo the segments split the same way, so the bytes are the same.
    const reuse = { imageKey: decoded.baseKey, editKey: decoded.editKey, ...(memo ? { bands: memo.pngBands, rows: memo.pngRows } : {}) };
    return encodePng(decoded.base, { alpha: transparent, painted, reuse });
  }
  // An opaque input stays opaque under an opaque edit: every painted colour has alpha 255.
  const image = { width: plan.width, height: plan.height, data: applySpans(decoded.base, painted), opaque: decoded.base.opaque === true && !transparent };
  return encodeImage(image, { format: plan.outputFormat, compression: plan.outputCompression, transparent });
}

/**
 * EditPlan + DecodedInputs -> one encoded output image: a pure function of its arguments.
 * The first image (with the mask) is the one edited, as the live API applies the mask to the
 * first image; each output index has its own seed, so the n images of one request differ;
 * `reveal` < 1 draws a streamed partial preview. Caching lives around it (cached-render.ts).
 */
import { encodeImage } from '../images/encode-image';
import { encodePng, type PngBandCache } from '../images/encode-png';
import { composePicture, paintEdit, paintRows } from '../images/paint-edit';
import { promptPalette } from '../images/prompt-palette';
import { createRng, imageSeed } from '../images/seed';
import type { DecodedInputs } from './decode';
import type { EditPlan } from './types';

/**
 * Encoded PNG bands of the unedited input, reused across renders of it. A memo, not an
 * input: the bytes are the same with or without it.
 */
export interface RenderMemo {
  readonly pngBands: PngBandCache;
}

export async function renderImage(plan: EditPlan, decoded: DecodedInputs, index: number, reveal = 1, memo?: RenderMemo): Promise<Buffer> {
  const rng = createRng(imageSeed(plan.seed, index));
  const palette = promptPalette(plan.prompt, rng);
  const { boxes } = decoded;
  const picture = composePicture(palette, rng, decoded.editability, plan.width, plan.height, boxes);
  const transparent = plan.background === 'transparent';
  const paintOptions = { editability: decoded.editability, strength: plan.editStrength, transparentBackdrop: transparent, reveal, boxes };
  if (plan.outputFormat === 'png') {
    // Only the edited rows are painted; the PNG encoder reads the rest from the input itself.
    const painted = paintRows(decoded.base, picture, paintOptions);
    // With or without the memo the bands split the same way, so the bytes are the same.
    const unedited = { key: decoded.baseKey, from: painted.from, to: painted.to, ...(memo ? { cache: memo.pngBands } : {}) };
    return encodePng(decoded.base, { alpha: transparent, overlay: { from: painted.from, data: painted.data }, unedited });
  }
  const image = { width: plan.width, height: plan.height, data: paintEdit(decoded.base, picture, paintOptions) };
  return encodeImage(image, { format: plan.outputFormat, compression: plan.outputCompression, transparent });
}

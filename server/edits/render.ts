/**
 * EditPlan + inputs -> the n edited images, encoded. The first image (with the mask) is the
 * one edited, as the live API applies the mask to the first image; each output index has
 * its own seed, so the n images of one request differ.
 */
import { errors } from '../errors/catalogue';
import { editability } from '../images/edit-area';
import { encodeImage } from '../images/encode-image';
import { fitInput, UndecodableImageError, type FitCache, type RawImage } from '../images/fit-input';
import { composePicture, paintEdit } from '../images/paint-edit';
import { promptPalette } from '../images/prompt-palette';
import { createRng, imageSeed } from '../images/seed';
import type { EditPlan, InspectedInputs } from './types';

export interface RenderDeps {
  readonly cache: FitCache;
  readonly maxInputPixels: number;
  /** Whether a model answers bad bytes with dall-e-2's legacy text. */
  readonly legacyPngCheck: boolean;
}

/** The decoded, fitted first image and its editability: shared by all n images and partials. */
export interface PreparedEdit {
  readonly base: RawImage;
  readonly editability: Uint8Array | null;
}

export async function prepareEdit(plan: EditPlan, inputs: InspectedInputs, deps: RenderDeps): Promise<PreparedEdit> {
  // Every image must decode, as the live API reads all of them; only the first is painted on.
  const fitted = await Promise.all(
    inputs.images.map(async (image) => {
      try {
        return await fitInput(image.buffer, image.sha256, plan.width, plan.height, deps.maxInputPixels, deps.cache);
      } catch (err) {
        if (err instanceof UndecodableImageError) throw deps.legacyPngCheck ? errors.dalle2PngUnder4Mb() : errors.invalidImageFile(image.position);
        throw err;
      }
    }),
  );
  const base = fitted[0]!;
  try {
    return { base, editability: await editability(plan.editArea, base, inputs.mask, deps.maxInputPixels, deps.cache) };
  } catch (err) {
    if (err instanceof UndecodableImageError) throw errors.maskNotPng();
    throw err;
  }
}

/** One output image at a given reveal (1 = final; less for streamed partial previews). */
export async function renderImage(plan: EditPlan, prepared: PreparedEdit, index: number, reveal = 1): Promise<Buffer> {
  const rng = createRng(imageSeed(plan.seed, index));
  const palette = promptPalette(plan.prompt, rng);
  const picture = composePicture(palette, rng, prepared.editability, plan.width, plan.height);
  const painted = paintEdit(prepared.base, picture, {
    editability: prepared.editability,
    strength: plan.editStrength,
    transparentBackdrop: plan.background === 'transparent',
    reveal,
  });
  return encodeImage(
    { width: plan.width, height: plan.height, data: painted },
    { format: plan.outputFormat, compression: plan.outputCompression, transparent: plan.background === 'transparent' },
  );
}

export async function renderEdit(plan: EditPlan, inputs: InspectedInputs, deps: RenderDeps): Promise<Buffer[]> {
  const prepared = await prepareEdit(plan, inputs, deps);
  const images: Buffer[] = [];
  for (let index = 0; index < plan.n; index++) images.push(await renderImage(plan, prepared, index));
  return images;
}

/**
 * EditPlan + inputs -> the n edited images, encoded. The first image (with the mask) is the
 * one edited, as the live API applies the mask to the first image; each output index has
 * its own seed, so the n images of one request differ.
 *
 * @note Work that does not change between requests is not redone: fitted inputs come from
 * the fit cache, a repeated render from the encoded-image cache, and a PNG's rows outside the
 * edit from the band cache (render-caches.ts). Every cache returns what a miss would compute.
 */
import { errors } from '../errors/catalogue';
import { editability } from '../images/edit-area';
import { encodeImage } from '../images/encode-image';
import { encodePng } from '../images/encode-png';
import { fitInput, fitKey, UndecodableImageError, type FitCache, type RawImage } from '../images/fit-input';
import { composePicture, editBoxes, paintEdit, paintRows, type EditBoxes } from '../images/paint-edit';
import type { RenderCaches } from '../images/render-caches';
import { promptPalette } from '../images/prompt-palette';
import { createRng, imageSeed } from '../images/seed';
import type { EditPlan, InspectedInputs } from './types';

export interface RenderDeps {
  readonly cache: FitCache;
  readonly maxInputPixels: number;
  /** Whether a model answers bad bytes with dall-e-2's legacy text. */
  readonly legacyPngCheck: boolean;
  /** Encoded images and PNG bands kept between requests; without them every render is fresh. */
  readonly renders?: RenderCaches;
}

/** The decoded, fitted first image and its editability: shared by all n images and partials. */
export interface PreparedEdit {
  readonly base: RawImage;
  readonly editability: Uint8Array | null;
  /** Names the base's pixels (upload hash and size), for the PNG band cache. */
  readonly baseKey?: string;
  /**
   * Whether the input was seen before (its fit was cached): only then are its unedited bands
   * kept, so a stream of new images does not churn the band cache. The bytes do not depend on it.
   */
  readonly keepBands?: boolean;
  readonly boxes?: EditBoxes;
  readonly renders?: RenderCaches;
}

function boxesOf(area: Uint8Array | null, width: number, height: number, renders: RenderCaches | undefined): EditBoxes {
  if (!area || !renders) return editBoxes(area, width, height);
  const known = renders.boxes.get(area);
  if (known) return known;
  const boxes = editBoxes(area, width, height);
  renders.boxes.set(area, boxes);
  return boxes;
}

export async function prepareEdit(plan: EditPlan, inputs: InspectedInputs, deps: RenderDeps): Promise<PreparedEdit> {
  const baseKey = fitKey(inputs.images[0]!.sha256, plan.width, plan.height);
  const seenBefore = deps.cache.has(baseKey);
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
  let area: Uint8Array | null;
  try {
    area = await editability(plan.editArea, base, inputs.mask, deps.maxInputPixels, deps.cache);
  } catch (err) {
    if (err instanceof UndecodableImageError) throw errors.maskNotPng();
    throw err;
  }
  const prepared = {
    base,
    editability: area,
    baseKey,
    keepBands: seenBefore,
    boxes: boxesOf(area, plan.width, plan.height, deps.renders),
  };
  return deps.renders ? { ...prepared, renders: deps.renders } : prepared;
}

/** Everything that decides an output image's bytes (the seed already hashes the request). */
function renderKey(plan: EditPlan, index: number, reveal: number): string {
  return [plan.seed, index, reveal, plan.width, plan.height, plan.editArea, plan.editStrength, plan.background, plan.outputFormat, plan.outputCompression].join(':');
}

/** One output image at a given reveal (1 = final; less for streamed partial previews). */
export async function renderImage(plan: EditPlan, prepared: PreparedEdit, index: number, reveal = 1): Promise<Buffer> {
  const { renders } = prepared;
  const key = renderKey(plan, index, reveal);
  const hit = renders?.images.get(key);
  if (hit) return hit;
  const image = await paintAndEncode(plan, prepared, index, reveal);
  renders?.images.set(key, image);
  return image;
}

async function paintAndEncode(plan: EditPlan, prepared: PreparedEdit, index: number, reveal: number): Promise<Buffer> {
  const rng = createRng(imageSeed(plan.seed, index));
  const palette = promptPalette(plan.prompt, rng);
  const boxes = prepared.boxes ?? editBoxes(prepared.editability, plan.width, plan.height);
  const picture = composePicture(palette, rng, prepared.editability, plan.width, plan.height, boxes);
  const paintOptions = {
    editability: prepared.editability,
    strength: plan.editStrength,
    transparentBackdrop: plan.background === 'transparent',
    reveal,
    boxes,
  };
  const transparent = plan.background === 'transparent';
  if (plan.outputFormat === 'png') {
    // Only the edited rows are painted; the PNG encoder reads the rest from the input itself.
    const painted = paintRows(prepared.base, picture, paintOptions);
    const overlay = { from: painted.from, data: painted.data };
    // Without caches the bands split the same way, so the bytes are the same.
    const rows = { key: prepared.baseKey ?? '', from: painted.from, to: painted.to };
    const unedited = prepared.renders && prepared.baseKey && prepared.keepBands !== false ? { ...rows, cache: prepared.renders.pngBands } : rows;
    return encodePng(prepared.base, { alpha: transparent, overlay, unedited });
  }
  const image = { width: plan.width, height: plan.height, data: paintEdit(prepared.base, picture, paintOptions) };
  return encodeImage(image, { format: plan.outputFormat, compression: plan.outputCompression, transparent });
}

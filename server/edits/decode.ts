/**
 * EditPlan + InspectedInputs -> DecodedInputs: the second half of inspection, once the plan
 * knows the output size. Every upload's pixels are decoded (the live API reads all of them),
 * each fitted to the output size; the mask becomes per-pixel editability. This is the last
 * step that can refuse an upload's bytes: render never throws a request error.
 */
import { badImageBytes, errors } from '../errors/catalogue';
import { editability } from '../images/edit-area';
import { fitInput, fitKey, type RawImage } from '../images/fit-input';
import { editBoxes, type EditBoxes } from '../images/edit-boxes';
import type { RenderCaches } from '../images/render-caches';
import type { Slots } from '../images/slots';
import type { EditPlan, InspectedInputs } from './types';

/** The decoded, fitted first image and where the edit acts: shared by all n images and partials. */
export interface DecodedInputs {
  readonly base: RawImage;
  /** 0..255 per output pixel: how editable it is; null edits the whole image. */
  readonly editability: Uint8Array | null;
  readonly boxes: EditBoxes;
  /** Names the base's pixels (upload hash and size), for caches of what is drawn from them. */
  readonly baseKey: string;
  /** Names the base with its edit area (and the mask's hash), for caches of what depends on both. */
  readonly editKey: string;
  /** Whether this input was fitted before (its fit was cached): a hint for cache policy only. */
  readonly seenBefore: boolean;
}

export interface DecodeDeps {
  readonly caches: RenderCaches;
  readonly maxInputPixels: number;
  /** Bounds the uploads decoded at once (one per core), so a burst of large ones waits its turn. */
  readonly decodes?: Slots;
}

function boxesOf(area: Uint8Array | null, width: number, height: number, caches: RenderCaches): EditBoxes {
  if (!area) return editBoxes(area, width, height);
  const known = caches.boxes.get(area);
  if (known) return known;
  const boxes = editBoxes(area, width, height);
  caches.boxes.set(area, boxes);
  return boxes;
}

export async function decodeInputs(plan: EditPlan, inputs: InspectedInputs, deps: DecodeDeps): Promise<DecodedInputs> {
  const { caches, maxInputPixels, decodes } = deps;
  const baseKey = fitKey(inputs.images[0]!.sha256, plan.width, plan.height);
  const seenBefore = caches.fits.has(baseKey);
  const fitted = await Promise.all(
    inputs.images.map((image) =>
      fitInput(image.buffer, image.sha256, plan.width, plan.height, maxInputPixels, caches.fits, () => badImageBytes(image.position, plan.legacyPngCheck), decodes),
    ),
  );
  const base = fitted[0]!;
  const area = await editability(plan.editArea, base, inputs.mask, maxInputPixels, caches.fits, () => errors.maskNotPng());
  const editKey = `${baseKey}:${plan.editArea}:${inputs.mask?.sha256 ?? ''}`;
  return { base, editability: area, boxes: boxesOf(area, plan.width, plan.height, caches), baseKey, editKey, seenBefore };
}

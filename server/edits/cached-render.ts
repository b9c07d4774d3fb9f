/**
 * renderImage behind the render caches: a repeated render comes from the encoded-image
 * cache, and a PNG's unedited bands and rows from their caches once its input has been seen before
 * (so a stream of new images does not churn it). Same bytes as renderImage, hit or miss.
 */
import type { RenderCaches } from '../images/render-caches';
import type { DecodedInputs } from './decode';
import { renderImage } from './render';
import type { EditPlan } from './types';

export type Renderer = (plan: EditPlan, decoded: DecodedInputs, index: number, reveal?: number) => Promise<Buffer>;

/** Everything that decides an output image's bytes (the seed already hashes the request). */
function renderKey(plan: EditPlan, index: number, reveal: number): string {
  return [plan.seed, index, reveal, plan.width, plan.height, plan.editArea, plan.editStrength, plan.background, plan.outputFormat, plan.outputCompression].join(':');
}

export function cachedRenderer(caches: RenderCaches): Renderer {
  return async (plan, decoded, index, reveal = 1) => {
    const key = renderKey(plan, index, reveal);
    const hit = caches.images.get(key);
    if (hit) return hit;
    const image = await renderImage(plan, decoded, index, reveal, decoded.seenBefore ? { pngBands: caches.pngBands, pngRows: caches.pngRows } : undefined);
    caches.images.set(key, image);
    return image;
  };
}

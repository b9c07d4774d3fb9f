/**
 * Input image tokens, by the model's accounting (models/token-tables.ts holds the figures).
 * - `tiles-512` (gpt-image-1.x): fit inside 2048x2048, scale the short side down to 512
 *   (rounding down, as live billing does; small images are not scaled up), count 512-px
 *   tiles, 65 + 129 per tile. input_fidelity=high adds a surcharge to the first image:
 *   4160 when it is closest to square, 6240 otherwise.
 * - `patches-32` (gpt-image-2 and later): 32-px patches after magnifying small images toward
 *   a 1024-px long edge, the aspect clamped, capped per image.
 * @see ../shared/reference/tokens.md §2 and models-2026.md §6.5
 */
import { nearestAspect } from '../images/aspect';
import { HIGH_FIDELITY_SURCHARGE, PATCH_RULE, TILE_RULE } from '../models/token-tables';

export function countImageTiles(width: number, height: number): number {
  let w = width;
  let h = height;
  if (w > TILE_RULE.fitInside || h > TILE_RULE.fitInside) {
    const scale = TILE_RULE.fitInside / Math.max(w, h);
    w = Math.floor(w * scale);
    h = Math.floor(h * scale);
  }
  const shortSide = Math.min(w, h);
  if (shortSide > TILE_RULE.shortSide) {
    const scale = TILE_RULE.shortSide / shortSide;
    w = Math.floor(w * scale);
    h = Math.floor(h * scale);
  }
  return Math.ceil(w / TILE_RULE.tile) * Math.ceil(h / TILE_RULE.tile);
}

export function countImageTokens(width: number, height: number): number {
  return TILE_RULE.baseTokens + TILE_RULE.tileTokens * countImageTiles(width, height);
}

export function highFidelitySurcharge(width: number, height: number): number {
  const shape = nearestAspect(width, height, ['1024x1024', '1536x1024', '1024x1536']);
  return shape === '1024x1024' ? HIGH_FIDELITY_SURCHARGE.square : HIGH_FIDELITY_SURCHARGE.oblong;
}

export function countImagePatches(width: number, height: number): number {
  const long = Math.max(width, height);
  // The latent canvas is at most maxAspect:1, so a very thin image counts as a less thin one.
  const short = Math.max(Math.min(width, height), long / PATCH_RULE.maxAspect);
  const scale = Math.min(PATCH_RULE.maxMagnification, Math.max(1, PATCH_RULE.targetLongEdge / long));
  const patches = Math.ceil((long * scale) / PATCH_RULE.patch) * Math.ceil((short * scale) / PATCH_RULE.patch);
  return Math.min(PATCH_RULE.maxPatches, patches);
}

export function countPatchTokens(width: number, height: number): number {
  return PATCH_RULE.tokensPerPatch * countImagePatches(width, height);
}

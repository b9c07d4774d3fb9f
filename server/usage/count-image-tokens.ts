/**
 * Input image tokens for GPT image models: fit inside 2048x2048, scale the short side down
 * to 512 (rounding down, as live billing does; small images are not scaled up), count
 * 512-px tiles, 65 + 129 per tile. input_fidelity=high adds a fixed surcharge to the first
 * image: 4160 when it is closest to square, 6240 otherwise (the newer guide's figures).
 * @see ../shared/reference/tokens.md §2
 */
import { nearestAspect } from '../images/aspect';

export const IMAGE_BASE_TOKENS = 65;
export const IMAGE_TILE_TOKENS = 129;
export const HIGH_FIDELITY_SQUARE_TOKENS = 4160;
export const HIGH_FIDELITY_OBLONG_TOKENS = 6240;

export function countImageTiles(width: number, height: number): number {
  let w = width;
  let h = height;
  if (w > 2048 || h > 2048) {
    const scale = 2048 / Math.max(w, h);
    w = Math.floor(w * scale);
    h = Math.floor(h * scale);
  }
  const shortSide = Math.min(w, h);
  if (shortSide > 512) {
    const scale = 512 / shortSide;
    w = Math.floor(w * scale);
    h = Math.floor(h * scale);
  }
  return Math.ceil(w / 512) * Math.ceil(h / 512);
}

export function countImageTokens(width: number, height: number): number {
  return IMAGE_BASE_TOKENS + IMAGE_TILE_TOKENS * countImageTiles(width, height);
}

export function highFidelitySurcharge(width: number, height: number): number {
  const shape = nearestAspect(width, height, ['1024x1024', '1536x1024', '1024x1536']);
  return shape === '1024x1024' ? HIGH_FIDELITY_SQUARE_TOKENS : HIGH_FIDELITY_OBLONG_TOKENS;
}

/**
 * The edit itself, on raw RGBA pixels: inside the edit area the input is blended with a
 * prompt-coloured picture (a gradient backdrop and a flower of discs), so a person sees the
 * input with its masked region changed. Pure and deterministic: same inputs, same bytes.
 */
import type { RawImage } from './fit-input';
import type { Palette, Rgb } from './prompt-palette';
import type { Rng } from './seed';

interface Disc {
  readonly cx: number;
  readonly cy: number;
  readonly r2: number;
  readonly colour: Rgb;
}

export interface EditPicture {
  readonly palette: Palette;
  /** Unit vector of the backdrop gradient. */
  readonly gx: number;
  readonly gy: number;
  readonly discs: readonly Disc[];
}

export interface PaintOptions {
  /** 0..255 per pixel: how editable it is; null repaints the whole image. */
  readonly editability: Uint8Array | null;
  /** 0..1: how strongly the picture replaces the input inside the edit area. */
  readonly strength: number;
  /** Leave the backdrop transparent (background=transparent): only the discs are opaque. */
  readonly transparentBackdrop: boolean;
  /** 0..1: the fraction of rows (from the top) painted so far; 1 is the final image. */
  readonly reveal: number;
}

/** The bounding box of the editable pixels, where the picture's shapes are placed. */
function editableBox(editability: Uint8Array | null, width: number, height: number) {
  if (!editability) return { x0: 0, y0: 0, x1: width - 1, y1: height - 1 };
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (editability[row + x]! >= 128) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? { x0: 0, y0: 0, x1: width - 1, y1: height - 1 } : { x0, y0, x1, y1 };
}

function shade(colour: Rgb, factor: number): Rgb {
  return [
    Math.max(0, Math.min(255, Math.round(colour[0] * factor))),
    Math.max(0, Math.min(255, Math.round(colour[1] * factor))),
    Math.max(0, Math.min(255, Math.round(colour[2] * factor))),
  ];
}

/** Chooses the picture for one image: where the flower sits, its petals, the gradient. */
export function composePicture(palette: Palette, rng: Rng, editability: Uint8Array | null, width: number, height: number): EditPicture {
  const box = editableBox(editability, width, height);
  const boxW = box.x1 - box.x0 + 1;
  const boxH = box.y1 - box.y0 + 1;
  const cx = box.x0 + boxW * rng.float(0.35, 0.65);
  const cy = box.y0 + boxH * rng.float(0.35, 0.65);
  const radius = Math.max(2, Math.min(boxW, boxH) * rng.float(0.12, 0.2));
  const petals = rng.int(5, 8);
  const turn = rng.float(0, Math.PI * 2);
  const discs: Disc[] = [];
  for (let i = 0; i < petals; i++) {
    const a = turn + (i * Math.PI * 2) / petals;
    discs.push({
      cx: cx + Math.cos(a) * radius * 1.1,
      cy: cy + Math.sin(a) * radius * 1.1,
      r2: (radius * 0.75) ** 2,
      colour: shade(palette.accent, rng.float(0.8, 1.1)),
    });
  }
  discs.push({ cx, cy, r2: (radius * 0.6) ** 2, colour: shade(palette.accent, 0.55) });
  const extras = rng.int(0, 3);
  for (let i = 0; i < extras; i++) {
    discs.push({
      cx: box.x0 + boxW * rng.next(),
      cy: box.y0 + boxH * rng.next(),
      r2: (Math.min(boxW, boxH) * rng.float(0.03, 0.08)) ** 2,
      colour: shade(palette.accent, rng.float(0.9, 1.2)),
    });
  }
  const angle = rng.float(0, Math.PI * 2);
  return { palette, gx: Math.cos(angle), gy: Math.sin(angle), discs };
}

/** Paints the picture over the input; returns new RGBA bytes (the input is not changed). */
export function paintEdit(base: RawImage, picture: EditPicture, options: PaintOptions): Buffer {
  const { width, height } = base;
  const out = Buffer.from(base.data);
  const { editability, strength, transparentBackdrop } = options;
  const rows = Math.max(0, Math.min(height, Math.round(options.reveal * height)));
  const { from, to } = picture.palette;
  const span = Math.abs(picture.gx) * width + Math.abs(picture.gy) * height || 1;
  const offset = Math.min(0, picture.gx * width) + Math.min(0, picture.gy * height);
  // Repainting the whole image with a transparent background clears a frame around it.
  const frame = Math.round(Math.min(width, height) * 0.06);
  const discs = picture.discs;

  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const e = editability ? editability[p]! : 255;
      if (e === 0) continue;
      let r: number, g: number, b: number, a = 255;
      let hit: Disc | undefined;
      for (let d = discs.length - 1; d >= 0; d--) {
        const disc = discs[d]!;
        const dx = x - disc.cx;
        const dy = y - disc.cy;
        if (dx * dx + dy * dy <= disc.r2) {
          hit = disc;
          break;
        }
      }
      let k = (strength * e) / 255;
      if (hit) {
        [r, g, b] = hit.colour;
      } else {
        const t = (x * picture.gx + y * picture.gy - offset) / span;
        r = from[0] + (to[0] - from[0]) * t;
        g = from[1] + (to[1] - from[1]) * t;
        b = from[2] + (to[2] - from[2]) * t;
        if (transparentBackdrop) {
          if (editability) a = 0;
          else if (x < frame || y < frame || x >= width - frame || y >= height - frame) {
            a = 0;
            k = 1;
          }
        }
      }
      const i = p * 4;
      out[i] = Math.round(out[i]! * (1 - k) + r * k);
      out[i + 1] = Math.round(out[i + 1]! * (1 - k) + g * k);
      out[i + 2] = Math.round(out[i + 2]! * (1 - k) + b * k);
      out[i + 3] = Math.round(out[i + 3]! * (1 - k) + a * k);
    }
  }
  return out;
}

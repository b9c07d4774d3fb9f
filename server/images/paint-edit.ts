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
  /** The editability's boxes, when already known: only `paint` is visited. */
  readonly boxes?: EditBoxes;
}

/** The rows [from, to) that paintEdit changes; every other row is the input's. */
export function paintedRows(boxes: EditBoxes, height: number, reveal: number): { from: number; to: number } {
  const rows = Math.max(0, Math.min(height, Math.round(reveal * height)));
  const to = Math.min(rows, boxes.paint.y1 + 1);
  return to > boxes.paint.y0 ? { from: boxes.paint.y0, to } : { from: 0, to: 0 };
}

/** A rectangle of pixels, inclusive; empty when x1 < x0. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Where an edit may act: `shapes` places the picture's shapes, `paint` bounds every changed pixel. */
export interface EditBoxes {
  /** Pixels at least half editable (the whole image when there are none). */
  readonly shapes: Box;
  /** Pixels editable at all; empty when none is. */
  readonly paint: Box;
}

/** One pass over the editability: both boxes. */
export function editBoxes(editability: Uint8Array | null, width: number, height: number): EditBoxes {
  const whole = { x0: 0, y0: 0, x1: width - 1, y1: height - 1 };
  if (!editability) return { shapes: whole, paint: whole };
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  let px0 = width, py0 = height, px1 = -1, py1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const e = editability[row + x]!;
      if (e === 0) continue;
      if (x < px0) px0 = x;
      if (x > px1) px1 = x;
      if (y < py0) py0 = y;
      py1 = y;
      if (e >= 128) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return {
    shapes: x1 < 0 ? whole : { x0, y0, x1, y1 },
    paint: { x0: px0, y0: py0, x1: px1, y1: py1 },
  };
}

function shade(colour: Rgb, factor: number): Rgb {
  return [
    Math.max(0, Math.min(255, Math.round(colour[0] * factor))),
    Math.max(0, Math.min(255, Math.round(colour[1] * factor))),
    Math.max(0, Math.min(255, Math.round(colour[2] * factor))),
  ];
}

/** Chooses the picture for one image: where the flower sits, its petals, the gradient. */
export function composePicture(
  palette: Palette,
  rng: Rng,
  editability: Uint8Array | null,
  width: number,
  height: number,
  boxes: EditBoxes = editBoxes(editability, width, height),
): EditPicture {
  const box = boxes.shapes;
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

/** The rows [from, to) of the input with the picture painted over them (RGBA, row by row). */
export interface PaintedRows {
  readonly from: number;
  readonly to: number;
  readonly data: Buffer;
}

/**
 * Paints the picture over the rows the edit changes (paintedRows) and returns only those:
 * the rest of the image is the input's, unchanged, and need not be copied.
 */
export function paintRows(base: RawImage, picture: EditPicture, options: PaintOptions): PaintedRows {
  const { width, height } = base;
  const { editability, strength, transparentBackdrop } = options;
  const boxes = options.boxes ?? editBoxes(editability, width, height);
  const { from, to } = paintedRows(boxes, height, options.reveal);
  const rowBytes = width * 4;
  const out = Buffer.allocUnsafe((to - from) * rowBytes);
  base.data.copy(out, 0, from * rowBytes, to * rowBytes);
  const [fromR, fromG, fromB] = picture.palette.from;
  const [toR, toG, toB] = picture.palette.to;
  const { gx, gy } = picture;
  const span = Math.abs(gx) * width + Math.abs(gy) * height || 1;
  const offset = Math.min(0, gx * width) + Math.min(0, gy * height);
  // Repainting the whole image with a transparent background clears a frame around it.
  const frame = Math.round(Math.min(width, height) * 0.06);
  // Per row, each disc crossing it covers one run of pixels; the topmost disc wins.
  const discs = picture.discs;
  const topDisc = new Int16Array(width);
  const { x0, x1 } = boxes.paint;

  for (let y = from; y < to; y++) {
    topDisc.fill(-1, x0, x1 + 1);
    for (let d = 0; d < discs.length; d++) {
      const { cx, cy, r2 } = discs[d]!;
      const dy = y - cy;
      const dy2 = dy * dy;
      if (dy2 > r2) continue;
      // The run from the square root, then its ends settled with the exact test, so rounding
      // in sqrt cannot move a pixel in or out of the disc.
      const inside = (x: number) => (x - cx) * (x - cx) + dy2 <= r2;
      const half = Math.sqrt(r2 - dy2);
      let lo = Math.max(x0, Math.ceil(cx - half));
      let hi = Math.min(x1, Math.floor(cx + half));
      while (lo > x0 && inside(lo - 1)) lo--;
      while (lo <= hi && !inside(lo)) lo++;
      while (hi < x1 && inside(hi + 1)) hi++;
      while (hi >= lo && !inside(hi)) hi--;
      if (lo <= hi) topDisc.fill(d, lo, hi + 1);
    }
    const edgeRow = y < frame || y >= height - frame;
    const yTerm = y * gy;
    const row = y * width;
    const outRow = (y - from) * rowBytes;
    for (let x = x0; x <= x1; x++) {
      const e = editability ? editability[row + x]! : 255;
      if (e === 0) continue;
      const hit = topDisc[x]!;
      let k = (strength * e) / 255;
      let r: number, g: number, b: number, a = 255;
      if (hit >= 0) {
        const colour = discs[hit]!.colour;
        r = colour[0];
        g = colour[1];
        b = colour[2];
      } else {
        const t = (x * gx + yTerm - offset) / span;
        r = fromR + (toR - fromR) * t;
        g = fromG + (toG - fromG) * t;
        b = fromB + (toB - fromB) * t;
        if (transparentBackdrop) {
          if (editability) a = 0;
          else if (edgeRow || x < frame || x >= width - frame) {
            a = 0;
            k = 1;
          }
        }
      }
      const i = outRow + x * 4;
      const keep = 1 - k;
      out[i] = Math.round(out[i]! * keep + r * k);
      out[i + 1] = Math.round(out[i + 1]! * keep + g * k);
      out[i + 2] = Math.round(out[i + 2]! * keep + b * k);
      out[i + 3] = Math.round(out[i + 3]! * keep + a * k);
    }
  }
  return { from, to, data: out };
}

/** Paints the picture over the input; returns new RGBA bytes (the input is not changed). */
export function paintEdit(base: RawImage, picture: EditPicture, options: PaintOptions): Buffer {
  const painted = paintRows(base, picture, options);
  const out = Buffer.allocUnsafe(base.data.length);
  base.data.copy(out);
  painted.data.copy(out, painted.from * base.width * 4);
  return out;
}

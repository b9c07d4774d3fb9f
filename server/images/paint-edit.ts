/**
 * The edit itself, on raw RGBA pixels: the edit area is repainted with a prompt-coloured
 * picture (a backdrop in flat bands of a gradient and a flower of flat discs), as the live
 * API repaints a mask rather than blending the old pixels through; partly editable pixels
 * (a soft mask edge) and whole-image edits blend. A person sees the input with its masked
 * region changed. Flat shading is deliberate: its rows are runs, which Sub-filter to zeros
 * and deflate at memory speed, so a new prompt costs little to encode.
 * Pure and deterministic: same inputs, same bytes.
 */
import { editBoxes, type EditBoxes } from './edit-boxes';
import type { RawImage } from './fit-input';
import type { Palette, Rgb } from './prompt-palette';
import type { Rng } from './seed';

// Math's functions as module constants: in a per-pixel loop, looking up the global `Math` costs
// nothing in Node but a hundredfold inside a vm context (jest's test environment).
const { abs, ceil, cos, floor, max, min, round, sin, sqrt } = Math;

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
  /**
   * 0..1: the fraction of the edit's rows (from its top) that show the picture; below them
   * the edit area is primed with one flat colour (a streamed partial), or, in a whole-image
   * edit, left as the input. 1 is the final image.
   */
  readonly reveal: number;
  /** The editability's boxes, when already known: only its spans are visited. */
  readonly boxes?: EditBoxes;
}

/** Bands of the backdrop gradient: few enough that rows are long runs of one colour. */
const BACKDROP_BANDS = 6;

function shade(colour: Rgb, factor: number): Rgb {
  return [
    max(0, min(255, round(colour[0] * factor))),
    max(0, min(255, round(colour[1] * factor))),
    max(0, min(255, round(colour[2] * factor))),
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
  const radius = max(2, min(boxW, boxH) * rng.float(0.12, 0.2));
  const petals = rng.int(5, 8);
  const turn = rng.float(0, Math.PI * 2);
  const discs: Disc[] = [];
  for (let i = 0; i < petals; i++) {
    const a = turn + (i * Math.PI * 2) / petals;
    discs.push({
      cx: cx + cos(a) * radius * 1.1,
      cy: cy + sin(a) * radius * 1.1,
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
      r2: (min(boxW, boxH) * rng.float(0.03, 0.08)) ** 2,
      colour: shade(palette.accent, rng.float(0.9, 1.2)),
    });
  }
  const angle = rng.float(0, Math.PI * 2);
  return { palette, gx: cos(angle), gy: sin(angle), discs };
}


/**
 * The picture painted over the edit's spans only: rows [from, to), and for each row y the
 * RGBA pixels [spanStart[y], spanEnd[y]) packed one row after another, row y's at
 * `offsets[y - from]`. Every other pixel is the input's, unchanged, and is not copied.
 */
export interface PaintedSpans {
  readonly from: number;
  readonly to: number;
  readonly boxes: EditBoxes;
  readonly data: Buffer;
  readonly offsets: Int32Array;
}

/** The rows [from, to) an edit changes: its paint box's (a masked partial repaints them all). */
export function paintedRows(boxes: EditBoxes): { from: number; to: number } {
  const { y0, y1 } = boxes.paint;
  return y1 >= y0 ? { from: y0, to: y1 + 1 } : { from: 0, to: 0 };
}

/** r, g, b, a as one 32-bit word in this machine's byte order (for Uint32Array views). */
const scratch = new Uint8Array(4);
const scratchWord = new Uint32Array(scratch.buffer);
function word(r: number, g: number, b: number, a: number): number {
  scratch[0] = r;
  scratch[1] = g;
  scratch[2] = b;
  scratch[3] = a;
  return scratchWord[0]!;
}

/** A Uint32Array over RGBA bytes (copied once if they are not 4-byte aligned). */
export function pixelsOf(bytes: Buffer): Uint32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >> 2);
}

const lerp = (a: number, b: number, t: number) => round(a + (b - a) * t);

export function paintSpans(base: RawImage, picture: EditPicture, options: PaintOptions): PaintedSpans {
  const { width, height } = base;
  const { editability, strength, transparentBackdrop } = options;
  const boxes = options.boxes ?? editBoxes(editability, width, height);
  const { spanStart, spanEnd } = boxes;
  const { from, to: boxTo } = paintedRows(boxes);
  const revealTo = from + round(max(0, min(1, options.reveal)) * (boxTo - from));
  // A whole-image partial leaves its unrevealed rows as the input's (their bands are reused).
  const to = editability ? boxTo : revealTo;
  const offsets = new Int32Array(to - from + 1);
  let total = 0;
  for (let y = from; y < to; y++) {
    offsets[y - from] = total;
    total += max(0, spanEnd[y]! - spanStart[y]!) * 4;
  }
  offsets[to - from] = total;
  // Not from the shared pool: its own aligned memory, so it can be written a word a pixel.
  const data = Buffer.allocUnsafeSlow(total);
  const out = new Uint32Array(data.buffer, data.byteOffset, total >> 2);
  const input = pixelsOf(base.data);
  const source = base.data;

  const { palette, gx, gy, discs } = picture;
  // The backdrop: the gradient in flat bands; transparent under a mask when asked.
  const backdropAlpha = transparentBackdrop && editability ? 0 : 255;
  const bandWords = new Uint32Array(BACKDROP_BANDS);
  const bandRgb: Rgb[] = [];
  for (let j = 0; j < BACKDROP_BANDS; j++) {
    const t = (j + 0.5) / BACKDROP_BANDS;
    const rgb: Rgb = [lerp(palette.from[0], palette.to[0], t), lerp(palette.from[1], palette.to[1], t), lerp(palette.from[2], palette.to[2], t)];
    bandRgb.push(rgb);
    bandWords[j] = word(rgb[0], rgb[1], rgb[2], backdropAlpha);
  }
  const discWords = discs.map((d) => word(d.colour[0], d.colour[1], d.colour[2], 255));
  // Unrevealed rows of a partial: one flat colour between the backdrop's ends, darker.
  const primer: Rgb = [lerp(palette.from[0], palette.to[0], 0.5) >> 1, lerp(palette.from[1], palette.to[1], 0.5) >> 1, lerp(palette.from[2], palette.to[2], 0.5) >> 1];
  const primerWord = word(primer[0], primer[1], primer[2], 255);

  const span = abs(gx) * width + abs(gy) * height || 1;
  const offset = min(0, gx * width) + min(0, gy * height);
  const bandStep = (gx * BACKDROP_BANDS) / span;
  // Repainting the whole image with a transparent background clears a frame around it.
  const frame = round(min(width, height) * 0.06);
  const clearsFrame = transparentBackdrop && !editability;
  // Per row, each disc crossing it covers one run of pixels; the topmost disc wins.
  const topDisc = new Int16Array(width);

  const bandOf = (bandAt0: number, x: number) => min(BACKDROP_BANDS - 1, max(0, floor(bandAt0 + x * bandStep)));
  // Every pixel repainted outright (no blend, no cleared frame): rows are filled as runs.
  const runs = strength === 1 && !clearsFrame;

  for (let y = from; y < to; y++) {
    const x0 = spanStart[y]!;
    const x1 = spanEnd[y]!;
    if (x1 <= x0) continue;
    const revealed = y < revealTo;
    const row = y * width;
    const o = (offsets[y - from]! >> 2) - x0;
    // The band of pixel x is floor(bandAt0 + x * bandStep), clamped.
    const bandAt0 = ((y * gy - offset) * BACKDROP_BANDS) / span;
    if (revealed) {
      topDisc.fill(-1, x0, x1);
      if (runs) {
        // The backdrop's bands as runs, each end settled with bandOf itself.
        for (let x = x0; x < x1; ) {
          const band = bandOf(bandAt0, x);
          const guess = bandStep === 0 ? x1 : ceil((band + (bandStep > 0 ? 1 : 0) - bandAt0) / bandStep);
          let next = max(x + 1, min(x1, Number.isFinite(guess) ? guess : x1));
          while (next > x + 1 && bandOf(bandAt0, next - 1) !== band) next--;
          while (next < x1 && bandOf(bandAt0, next) === band) next++;
          out.fill(bandWords[band]!, o + x, o + next);
          x = next;
        }
      }
      for (let d = 0; d < discs.length; d++) {
        const { cx, cy, r2 } = discs[d]!;
        const dy = y - cy;
        const dy2 = dy * dy;
        if (dy2 > r2) continue;
        // The run from the square root, then its ends settled with the exact test, so rounding
        // in sqrt cannot move a pixel in or out of the disc.
        const inside = (x: number) => (x - cx) * (x - cx) + dy2 <= r2;
        const half = sqrt(r2 - dy2);
        let lo = max(x0, ceil(cx - half));
        let hi = min(x1 - 1, floor(cx + half));
        while (lo > x0 && inside(lo - 1)) lo--;
        while (lo <= hi && !inside(lo)) lo++;
        while (hi < x1 - 1 && inside(hi + 1)) hi++;
        while (hi >= lo && !inside(hi)) hi--;
        if (lo > hi) continue;
        topDisc.fill(d, lo, hi + 1);
        if (runs) out.fill(discWords[d]!, o + lo, o + hi + 1);
      }
    } else if (runs) out.fill(primerWord, o + x0, o + x1);
    const edgeRow = y < frame || y >= height - frame;
    for (let x = x0; x < x1; x++) {
      const e = editability ? editability[row + x]! : 255;
      // Runs already hold every wholly editable pixel.
      if (runs && e === 255) continue;
      if (e === 0) {
        out[o + x] = input[row + x]!;
        continue;
      }
      let colour: number;
      let rgb: Rgb;
      let a = 255;
      let k = (strength * e) / 255;
      const hit = revealed ? topDisc[x]! : -2;
      if (hit === -2) {
        colour = primerWord;
        rgb = primer;
      } else if (hit >= 0) {
        colour = discWords[hit]!;
        rgb = discs[hit]!.colour;
      } else {
        const band = bandOf(bandAt0, x);
        colour = bandWords[band]!;
        rgb = bandRgb[band]!;
        a = backdropAlpha;
        if (clearsFrame && (edgeRow || x < frame || x >= width - frame)) {
          a = 0;
          k = 1;
          colour = word(rgb[0], rgb[1], rgb[2], 0);
        }
      }
      if (k === 1) {
        out[o + x] = colour;
        continue;
      }
      // Partly editable, or a whole-image edit: the input shows through.
      const keep = 1 - k;
      const i = (row + x) * 4;
      const j = (o + x) * 4;
      data[j] = round(source[i]! * keep + rgb[0] * k);
      data[j + 1] = round(source[i + 1]! * keep + rgb[1] * k);
      data[j + 2] = round(source[i + 2]! * keep + rgb[2] * k);
      data[j + 3] = round(source[i + 3]! * keep + a * k);
    }
  }
  return { from, to, boxes, data, offsets };
}

/** Rows [y0, y1) of the input (all of them by default) with the painted spans written over them, as new RGBA bytes. */
export function applySpans(base: RawImage, painted: PaintedSpans, y0 = 0, y1 = base.height): Buffer {
  const { width } = base;
  const out = Buffer.from(base.data.subarray(y0 * width * 4, y1 * width * 4));
  const { spanStart, spanEnd } = painted.boxes;
  for (let y = max(y0, painted.from); y < min(y1, painted.to); y++) {
    const x0 = spanStart[y]!;
    const x1 = spanEnd[y]!;
    if (x1 <= x0) continue;
    const at = painted.offsets[y - painted.from]!;
    painted.data.copy(out, ((y - y0) * width + x0) * 4, at, at + (x1 - x0) * 4);
  }
  return out;
}

/** Paints the picture over the input; returns new RGBA bytes (the input is not changed). */
export function paintEdit(base: RawImage, picture: EditPicture, options: PaintOptions): Buffer {
  return applySpans(base, paintSpans(base, picture, options));
}

/**
 * The edit on raw pixels: the edit area's boxes, the rows a reveal paints, and the painting
 * itself, which changes only editable pixels of revealed rows and never its input.
 */
import type { RawImage } from '../../../server/images/fit-input';
import { composePicture, editBoxes, paintEdit, paintedRows, paintRows, type PaintOptions } from '../../../server/images/paint-edit';
import { promptPalette } from '../../../server/images/prompt-palette';
import { createRng } from '../../../server/images/seed';

/** A width x height grey image. */
const grey = (width: number, height: number): RawImage => ({ width, height, data: Buffer.alloc(width * height * 4, 128) });

/** A picture for an image, from a fixed seed. */
function picture(editability: Uint8Array | null, width: number, height: number, seed = 'a'.repeat(64)) {
  const rng = createRng(seed);
  return composePicture(promptPalette('add a red rose', rng), rng, editability, width, height);
}

const options = (overrides: Partial<PaintOptions> = {}): PaintOptions => ({ editability: null, strength: 1, transparentBackdrop: false, reveal: 1, ...overrides });

/** An 8x6 editability: fully editable at (2..4, 1..2), half at (6, 4), none elsewhere. */
function sample(): Uint8Array {
  const area = new Uint8Array(8 * 6);
  for (let y = 1; y <= 2; y++) for (let x = 2; x <= 4; x++) area[y * 8 + x] = 255;
  area[4 * 8 + 6] = 100;
  return area;
}

describe('editBoxes', () => {
  it('spans the whole image when everything is editable', () => {
    const whole = { x0: 0, y0: 0, x1: 7, y1: 5 };
    expect(editBoxes(null, 8, 6)).toEqual({ shapes: whole, paint: whole });
  });

  it('places shapes where pixels are at least half editable, and bounds painting by every editable pixel', () => {
    expect(editBoxes(sample(), 8, 6)).toEqual({ shapes: { x0: 2, y0: 1, x1: 4, y1: 2 }, paint: { x0: 2, y0: 1, x1: 6, y1: 4 } });
  });

  it('paints nothing when no pixel is editable, and still has somewhere to place shapes', () => {
    const boxes = editBoxes(new Uint8Array(8 * 6), 8, 6);
    expect(boxes.shapes).toEqual({ x0: 0, y0: 0, x1: 7, y1: 5 });
    expect(boxes.paint.x1).toBeLessThan(boxes.paint.x0);
  });
});

describe('paintedRows', () => {
  const boxes = editBoxes(sample(), 8, 6);

  it.each([
    [1, { from: 1, to: 5 }],
    [0.5, { from: 1, to: 3 }],
    // The top sixth of the rows holds no editable pixel yet.
    [1 / 6, { from: 0, to: 0 }],
    [0, { from: 0, to: 0 }],
  ])('paints, at reveal %d, the rows %j', (reveal, rows) => {
    expect(paintedRows(boxes, 6, reveal)).toEqual(rows);
  });
});

describe('paintEdit', () => {
  it('changes no pixel outside the edit area and no row beyond the reveal, and leaves its input alone', () => {
    const base = grey(8, 6);
    const before = Buffer.from(base.data);
    const area = sample();
    const full = paintEdit(base, picture(area, 8, 6), options({ editability: area }));
    const half = paintEdit(base, picture(area, 8, 6), options({ editability: area, reveal: 0.5 }));
    expect(base.data.equals(before)).toBe(true);
    for (let p = 0; p < 8 * 6; p++) {
      const changed = full.readUInt32BE(p * 4) !== before.readUInt32BE(p * 4);
      if (area[p] === 0) expect([p, changed]).toEqual([p, false]);
      const row = Math.floor(p / 8);
      if (row >= 3) expect([p, half.readUInt32BE(p * 4)]).toEqual([p, before.readUInt32BE(p * 4)]);
    }
    expect(full.equals(before)).toBe(false);
  });

  it('blends by the strength: half strength lands between the input and the full edit', () => {
    const base = grey(16, 16);
    const drawn = picture(null, 16, 16);
    const full = paintEdit(base, drawn, options());
    const half = paintEdit(base, drawn, options({ strength: 0.5 }));
    for (let i = 0; i < full.length; i += 4) expect(Math.abs(half[i]! - Math.round((128 + full[i]!) / 2))).toBeLessThanOrEqual(1);
  });

  it('clears the backdrop of a transparent edit inside a mask, keeping the shapes opaque', () => {
    const area = new Uint8Array(64 * 64).fill(255);
    const out = paintEdit(grey(64, 64), picture(area, 64, 64), options({ editability: area, transparentBackdrop: true }));
    const alphas = new Set(Array.from({ length: 64 * 64 }, (_, p) => out[p * 4 + 3]));
    expect([...alphas].sort((a, b) => a! - b!)).toEqual([0, 255]);
  });

  it('gives the same picture for the same seed, another for another seed', () => {
    expect(picture(null, 32, 32)).toEqual(picture(null, 32, 32));
    expect(picture(null, 32, 32, 'b'.repeat(64))).not.toEqual(picture(null, 32, 32));
  });
});

describe('paintRows', () => {
  it('returns exactly the rows paintEdit changes', () => {
    const base = grey(8, 6);
    const area = sample();
    const drawn = picture(area, 8, 6);
    const rows = paintRows(base, drawn, options({ editability: area }));
    const whole = paintEdit(base, drawn, options({ editability: area }));
    expect([rows.from, rows.to]).toEqual([1, 5]);
    expect(rows.data.equals(whole.subarray(1 * 8 * 4, 5 * 8 * 4))).toBe(true);
  });
});

/**
 * The edit on raw pixels: the edit area's boxes, the rows a reveal paints, and the painting
 * itself, which changes only editable pixels of revealed rows and never its input.
 */
import type { RawImage } from '../../../server/images/fit-input';
import { editBoxes } from '../../../server/images/edit-boxes';
import { applySpans, composePicture, paintEdit, paintedRows, paintSpans, type PaintOptions } from '../../../server/images/paint-edit';
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

describe('paintedRows', () => {
  it("are the paint box's rows, and none when nothing is editable", () => {
    expect(paintedRows(editBoxes(sample(), 8, 6))).toEqual({ from: 1, to: 5 });
    expect(paintedRows(editBoxes(null, 8, 6))).toEqual({ from: 0, to: 6 });
    expect(paintedRows(editBoxes(new Uint8Array(8 * 6), 8, 6))).toEqual({ from: 0, to: 0 });
  });
});

describe('paintEdit', () => {
  it('changes no pixel outside the edit area, and leaves its input alone', () => {
    const base = grey(8, 6);
    const before = Buffer.from(base.data);
    const area = sample();
    const full = paintEdit(base, picture(area, 8, 6), options({ editability: area }));
    expect(base.data.equals(before)).toBe(true);
    for (let p = 0; p < 8 * 6; p++) {
      const changed = full.readUInt32BE(p * 4) !== before.readUInt32BE(p * 4);
      if (area[p] === 0) expect([p, changed]).toEqual([p, false]);
    }
    expect(full.equals(before)).toBe(false);
  });

  it('primes the unrevealed rows of a masked partial with one flat colour, and leaves a whole-image partial\'s as the input', () => {
    const base = grey(16, 16);
    const area = new Uint8Array(16 * 16);
    for (let y = 4; y < 12; y++) for (let x = 4; x < 12; x++) area[y * 16 + x] = 255;
    const masked = paintEdit(base, picture(area, 16, 16), options({ editability: area, reveal: 0.5 }));
    // Rows 4..7 are revealed; rows 8..11 of the area are primed, all one colour, not the input's.
    const primed = new Set<number>();
    for (let y = 8; y < 12; y++) for (let x = 4; x < 12; x++) primed.add(masked.readUInt32BE((y * 16 + x) * 4));
    expect(primed.size).toBe(1);
    expect(primed.has(base.data.readUInt32BE(0))).toBe(false);

    const whole = paintEdit(base, picture(null, 16, 16), options({ reveal: 0.5 }));
    expect(whole.subarray(8 * 16 * 4).equals(base.data.subarray(8 * 16 * 4))).toBe(true);
    expect(whole.subarray(0, 8 * 16 * 4).equals(base.data.subarray(0, 8 * 16 * 4))).toBe(false);
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

describe('paintSpans', () => {
  it("holds exactly the pixels paintEdit changes: its spans applied to the input are paintEdit's output", () => {
    const base = grey(8, 6);
    const area = sample();
    const drawn = picture(area, 8, 6);
    const spans = paintSpans(base, drawn, options({ editability: area }));
    const whole = paintEdit(base, drawn, options({ editability: area }));
    expect([spans.from, spans.to]).toEqual([1, 5]);
    // Rows 1 and 2 span x 2..4, row 4 only x 6; row 3 has no editable pixel.
    expect(spans.data.length).toBe((3 + 3 + 1) * 4);
    expect(applySpans(base, spans).equals(whole)).toBe(true);
  });
});

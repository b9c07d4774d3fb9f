/**
 * editBoxes: where an edit may act, read once from the editability: the box shapes are placed
 * in, the box of every pixel it may change, and each row's span of those pixels.
 */
import { editBoxes } from '../../../server/images/edit-boxes';

/** An 8x6 editability: fully editable at (2..4, 1..2), half at (6, 4), none elsewhere. */
function sample(): Uint8Array {
  const area = new Uint8Array(8 * 6);
  for (let y = 1; y <= 2; y++) for (let x = 2; x <= 4; x++) area[y * 8 + x] = 255;
  area[4 * 8 + 6] = 100;
  return area;
}

/** Each row's span as [start, end), or null when the row has no editable pixel. */
const spans = (boxes: ReturnType<typeof editBoxes>) =>
  Array.from(boxes.spanStart, (start, y) => (start < boxes.spanEnd[y]! ? [start, boxes.spanEnd[y]!] : null));

describe('editBoxes', () => {
  it('spans the whole image, every row end to end, when everything is editable', () => {
    const whole = { x0: 0, y0: 0, x1: 7, y1: 5 };
    const boxes = editBoxes(null, 8, 6);
    expect({ shapes: boxes.shapes, paint: boxes.paint }).toEqual({ shapes: whole, paint: whole });
    expect(spans(boxes)).toEqual(Array(6).fill([0, 8]));
  });

  it('places shapes where pixels are at least half editable, and bounds painting and each row by every editable pixel', () => {
    const boxes = editBoxes(sample(), 8, 6);
    expect({ shapes: boxes.shapes, paint: boxes.paint }).toEqual({ shapes: { x0: 2, y0: 1, x1: 4, y1: 2 }, paint: { x0: 2, y0: 1, x1: 6, y1: 4 } });
    expect(spans(boxes)).toEqual([null, [2, 5], [2, 5], null, [6, 7], null]);
  });

  it('paints nothing when no pixel is editable, and still has somewhere to place shapes', () => {
    const boxes = editBoxes(new Uint8Array(8 * 6), 8, 6);
    expect(boxes.shapes).toEqual({ x0: 0, y0: 0, x1: 7, y1: 5 });
    expect(boxes.paint.x1).toBeLessThan(boxes.paint.x0);
    expect(spans(boxes)).toEqual(Array(6).fill(null));
  });
});

/**
 * Where an edit may act, read once per editability (and cached with it): the box its shapes
 * are placed in, the box of every pixel it may change, and per row the span of those pixels.
 * Everything outside the spans is the input's, so encoders reuse it (encode-png.ts).
 */

/** A rectangle of pixels, inclusive; empty when x1 < x0. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface EditBoxes {
  /** Pixels at least half editable (the whole image when there are none). */
  readonly shapes: Box;
  /** Pixels editable at all; empty when none is. */
  readonly paint: Box;
  /** Per row y: the editable pixels lie in [spanStart[y], spanEnd[y]); empty when start >= end. */
  readonly spanStart: Int32Array;
  readonly spanEnd: Int32Array;
}

/** One pass over the editability (0..255 per pixel; null: the whole image is editable). */
export function editBoxes(editability: Uint8Array | null, width: number, height: number): EditBoxes {
  const whole = { x0: 0, y0: 0, x1: width - 1, y1: height - 1 };
  const spanStart = new Int32Array(height);
  const spanEnd = new Int32Array(height);
  if (!editability) {
    spanEnd.fill(width);
    return { shapes: whole, paint: whole, spanStart, spanEnd };
  }
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  let py0 = height, py1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1, last = -1;
    for (let x = 0; x < width; x++) {
      const e = editability[row + x]!;
      if (e === 0) continue;
      if (first < 0) first = x;
      last = x;
      if (e >= 128) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
    if (first < 0) continue;
    spanStart[y] = first;
    spanEnd[y] = last + 1;
    if (y < py0) py0 = y;
    py1 = y;
  }
  let px0 = width, px1 = -1;
  for (let y = py0; y <= py1; y++) {
    if (spanEnd[y]! <= spanStart[y]!) continue;
    px0 = Math.min(px0, spanStart[y]!);
    px1 = Math.max(px1, spanEnd[y]! - 1);
  }
  return {
    shapes: x1 < 0 ? whole : { x0, y0, x1, y1 },
    paint: { x0: px0, y0: py0, x1: px1, y1: py1 },
    spanStart,
    spanEnd,
  };
}

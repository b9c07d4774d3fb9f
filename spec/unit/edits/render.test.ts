/**
 * render: a pure function from the plan and the decoded inputs to one encoded image. Same
 * arguments, same bytes; each image index and each seed its own picture; `reveal` < 1 paints
 * only the top of the edit (a streamed partial). Outputs are read back with pngjs, never with
 * the encoder that wrote them. Caching around it is cached-render.test.ts's.
 */
import { createHash } from 'node:crypto';
import type { DecodedInputs } from '../../../server/edits/decode';
import { renderImage } from '../../../server/edits/render';
import type { EditPlan } from '../../../server/edits/types';
import { editBoxes } from '../../../server/images/edit-boxes';
import { decodePng, fixture, sniffFormat } from '../../helpers/fixtures';
import { testPlan } from '../../helpers/test-plan';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What an RGBA image's alpha lets an edit repaint: its transparent pixels. */
function invertedAlpha(rgba: Buffer): Uint8Array {
  return Uint8Array.from({ length: rgba.length / 4 }, (_, p) => 255 - rgba[p * 4 + 3]!);
}

/** DecodedInputs made with pngjs from same-size fixtures: render's input without decode. */
function decoded(image: string, mask?: string): DecodedInputs {
  const base = decodePng(fixture(image));
  const editability = mask ? invertedAlpha(decodePng(fixture(mask)).data) : null;
  return {
    base: { width: base.width, height: base.height, data: base.data },
    editability,
    boxes: editBoxes(editability, base.width, base.height),
    baseKey: `${image}:${base.width}x${base.height}`,
    editKey: `${image}:${mask ?? 'whole'}:${base.width}x${base.height}`,
    seenBefore: false,
  };
}

const SCENE = decoded('scene-512.png');
const MASKED = decoded('scene-512.png', 'mask-512.png');
const plan = (overrides: Partial<EditPlan> = {}) => testPlan({ width: 512, height: 512, seed: 'a'.repeat(64), ...overrides });
const masked = (overrides: Partial<EditPlan> = {}) => plan({ editArea: 'mask', editStrength: 0.85, ...overrides });

/** How many pixels of two decoded images differ. */
function pixelsDifferent(a: Buffer, b: Buffer): number {
  let count = 0;
  for (let i = 0; i < a.length; i += 4) if (a.readUInt32BE(i) !== b.readUInt32BE(i)) count++;
  return count;
}

describe('renderImage is a pure function of its arguments', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('gives the same %s bytes for the same arguments, other bytes for another seed', async (outputFormat) => {
    const p = masked({ outputFormat, outputCompression: 70 });
    const [a, b, other] = await Promise.all([renderImage(p, MASKED, 0), renderImage(p, MASKED, 0), renderImage({ ...p, seed: 'b'.repeat(64) }, MASKED, 0)]);
    expect(sha(a)).toBe(sha(b));
    expect(sha(other)).not.toBe(sha(a));
  });

  it('draws a picture of its own for each image index', async () => {
    const images = await Promise.all([0, 1, 2].map((index) => renderImage(plan(), SCENE, index)));
    expect(new Set(images.map(sha)).size).toBe(3);
  });
});

describe('renderImage encodes the plan\'s output format', () => {
  it('writes an opaque PNG of the plan\'s size as RGB', async () => {
    const png = decodePng(await renderImage(masked(), MASKED, 0));
    expect([png.width, png.height, png.colorType]).toEqual([512, 512, 2]);
  });

  it('writes a real alpha channel for background=transparent', async () => {
    const png = decodePng(await renderImage(masked({ background: 'transparent' }), MASKED, 0));
    expect(png.colorType).toBe(6);
    let transparent = 0;
    for (let p = 3; p < png.data.length; p += 4) if (png.data[p]! < 255) transparent++;
    expect(transparent).toBeGreaterThan(0);
  });

  it.each(['jpeg', 'webp'] as const)('writes %s bytes', async (outputFormat) => {
    expect(sniffFormat(await renderImage(plan({ outputFormat, outputCompression: 80 }), SCENE, 0))).toBe(outputFormat);
  });

  it('makes lower output_compression give smaller jpeg files', async () => {
    const [low, high] = await Promise.all([10, 95].map((outputCompression) => renderImage(plan({ outputFormat: 'jpeg', outputCompression }), SCENE, 0)));
    expect(low!.length).toBeLessThan(high!.length);
  });
});

describe('renderImage edits only the edit area', () => {
  it('keeps every pixel outside the mask as the input has it and repaints inside it', async () => {
    const out = decodePng(await renderImage(masked(), MASKED, 0));
    const input = MASKED.base.data;
    let outsideChanged = 0;
    let outside = 0;
    let repainted = 0;
    for (let p = 0; p < 512 * 512; p++) {
      const same = out.data.readUInt32BE(p * 4) === input.readUInt32BE(p * 4);
      if (MASKED.editability![p] === 0) {
        outside++;
        if (!same) outsideChanged++;
      } else if (MASKED.editability![p] === 255 && !same) repainted++;
    }
    expect(outside).toBeGreaterThan(100_000);
    expect(outsideChanged).toBe(0);
    expect(repainted).toBeGreaterThan(1000);
  });

  it('repaints the transparent hole of a dall-e-2 input opaque', async () => {
    const holed = decoded('scene-rgba-256.png');
    const editability = invertedAlpha(holed.base.data);
    const centre = (128 * 256 + 128) * 4 + 3;
    expect(holed.base.data[centre]).toBe(0);
    const alphaArea = { ...holed, editability, boxes: editBoxes(editability, 256, 256) };
    const png = decodePng(await renderImage(plan({ width: 256, height: 256, size: '256x256', editArea: 'alpha', editStrength: 1 }), alphaArea, 0));
    expect(png.data[centre]).toBe(255);
  });
});

describe('renderImage with reveal < 1 (a streamed partial)', () => {
  it('reveals more of the final image at each step, and nothing of the edit at reveal 0', async () => {
    const [none, quarter, half, most, final] = await Promise.all([0, 0.25, 0.5, 0.75, 1].map(async (reveal) => decodePng(await renderImage(plan(), SCENE, 0, reveal)).data));
    const differences = [none!, quarter!, half!, most!].map((partial) => pixelsDifferent(partial, final!));
    expect(differences[0]).toBeGreaterThan(differences[1]!);
    expect(differences[1]).toBeGreaterThan(differences[2]!);
    expect(differences[2]).toBeGreaterThan(differences[3]!);
    expect(differences[3]).toBeGreaterThan(0);
    expect(none!.equals(SCENE.base.data)).toBe(true);
  });
});

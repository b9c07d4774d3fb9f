/**
 * The render caches around the pure renderer: a cached render is byte-identical to a fresh
 * renderImage, for finals and partials, hit or miss, and the band cache fills only for inputs
 * seen before.
 */
import { createHash } from 'node:crypto';
import { cachedRenderer } from '../../../server/edits/cached-render';
import { decodeInputs } from '../../../server/edits/decode';
import { renderImage } from '../../../server/edits/render';
import type { EditPlan } from '../../../server/edits/types';
import { testPlan } from '../../helpers/test-plan';
import { composePicture, paintEdit } from '../../../server/images/paint-edit';
import { promptPalette } from '../../../server/images/prompt-palette';
import { createRenderCaches, type RenderCaches } from '../../../server/images/render-caches';
import { createRng, imageSeed } from '../../../server/images/seed';
import { decodePng } from '../../helpers/fixtures';
import { inspectedInputs } from '../../helpers/step-inputs';

const inputs = inspectedInputs(['scene-512.png'], 'mask-512.png');

function plan(overrides: Partial<EditPlan> = {}): EditPlan {
  return testPlan({ n: 2, width: 512, height: 512, editArea: 'mask', editStrength: 1, seed: 'f'.repeat(64), ...overrides });
}

const MAX_PIXELS = 8192 * 8192;

/** Caches with room (a cached sandbox), or none at all (every render fresh). */
const caches = (cached: boolean): RenderCaches => (cached ? createRenderCaches(16 << 20, 64 << 20) : createRenderCaches(0, 0));

/** Renders index/reveal pairs in order: through the caches, or with the pure renderer alone. */
async function renderAll(p: EditPlan, c: RenderCaches, shots: ReadonlyArray<readonly [number, number]>, cached = true): Promise<Buffer[]> {
  const render = cachedRenderer(c);
  const out: Buffer[] = [];
  for (const [index, reveal] of shots) {
    const decoded = await decodeInputs(p, inputs, { caches: c, maxInputPixels: MAX_PIXELS });
    out.push(cached ? await render(p, decoded, index, reveal) : await renderImage(p, decoded, index, reveal));
  }
  return out;
}

/** The final image 0 of a plan: cached, or fresh with no cache at all. */
async function renderOne(p: EditPlan, c: RenderCaches, cached = true): Promise<Buffer> {
  return (await renderAll(p, c, [[0, 1]], cached))[0]!;
}

const SHOTS = [
  [0, 1],
  [1, 1],
  [0, 0.25],
  [0, 0.5],
  [0, 1],
] as const;

describe('cached renders are byte-identical to fresh ones', () => {
  it.each([
    ['an opaque PNG with a mask', plan()],
    ['a transparent PNG with a mask', plan({ background: 'transparent' })],
    ['a PNG edited as a whole', plan({ editArea: 'whole', editStrength: 0.55 })],
    ['a JPEG', plan({ outputFormat: 'jpeg', outputCompression: 60, seed: 'e'.repeat(64) })],
    ['a WebP', plan({ outputFormat: 'webp', outputCompression: 60, seed: 'd'.repeat(64) })],
  ])('gives the same bytes for %s, final and partial, hit or miss', async (_name, p) => {
    const fresh = await renderAll(p, caches(false), SHOTS, false);
    const cachedCaches = caches(true);
    const cached = await renderAll(p, cachedCaches, SHOTS);
    const again = await renderAll(p, cachedCaches, [...SHOTS].reverse());
    cached.forEach((bytes, i) => expect(bytes.equals(fresh[i]!)).toBe(true));
    again.reverse().forEach((bytes, i) => expect(bytes.equals(fresh[i]!)).toBe(true));
    expect(cachedCaches.images.size).toBe(4);
  });

  it('reuses the unedited bands of one input across prompts without changing a pixel', async () => {
    const cachedCaches = caches(true);
    const render = cachedRenderer(cachedCaches);
    for (const prompt of ['a blue bird', 'a green frog', 'a yellow sun']) {
      const p = plan({ prompt, seed: createHash('sha256').update(prompt).digest('hex') });
      const prepared = await decodeInputs(p, inputs, { caches: cachedCaches, maxInputPixels: MAX_PIXELS });
      const png = decodePng(await render(p, prepared, 0));
      // The pixels the painter produced, flattened as opaque output is.
      const rng = createRng(imageSeed(p.seed, 0));
      const picture = composePicture(promptPalette(p.prompt, rng), rng, prepared.editability, 512, 512);
      const painted = paintEdit(prepared.base, picture, { editability: prepared.editability, strength: p.editStrength, transparentBackdrop: false, reveal: 1 });
      expect(png.data.equals(painted)).toBe(true);
    }
    expect(cachedCaches.pngBands.size).toBeGreaterThan(0);
  });

  it('keeps the bands of an input only from its second edit on, with the same bytes either way', async () => {
    const cachedCaches = caches(true);
    const first = await renderOne(plan(), cachedCaches);
    expect(cachedCaches.pngBands.size).toBe(0);
    const other = plan({ prompt: 'another prompt', seed: 'c'.repeat(64) });
    const second = await renderOne(other, cachedCaches);
    expect(cachedCaches.pngBands.size).toBeGreaterThan(0);
    expect(first.equals(await renderOne(plan(), caches(false), false))).toBe(true);
    expect(second.equals(await renderOne(other, caches(false), false))).toBe(true);
  });
});

describe('a rendered edit, read back with pngjs', () => {
  it('keeps every pixel outside the edit area as the fitted input and repaints the area itself', async () => {
    const c = caches(true);
    const p = plan({ n: 1 });
    const decoded = await decodeInputs(p, inputs, { caches: c, maxInputPixels: MAX_PIXELS });
    const png = decodePng(await renderImage(p, decoded, 0));
    const base = decoded.base.data;
    const editability = decoded.editability!;
    let outside = 0;
    let inside = 0;
    let repainted = 0;
    for (let i = 0; i < editability.length; i++) {
      const same = [0, 1, 2].every((ch) => png.data[i * 4 + ch] === base[i * 4 + ch]);
      if (editability[i] === 0) {
        outside++;
        if (!same) throw new Error(`pixel ${i} outside the edit area changed`);
      } else if (editability[i] === 255) {
        inside++;
        if (!same) repainted++;
      }
    }
    expect(outside).toBeGreaterThan(0);
    expect(inside).toBeGreaterThan(0);
    // Repainted, not blended: almost every pixel of the area differs from the input.
    expect(repainted / inside).toBeGreaterThan(0.95);
  });

  it('draws a partial that shows the final picture above its reveal and one flat colour below', async () => {
    const c = caches(false);
    const p = plan({ n: 1 });
    const decoded = await decodeInputs(p, inputs, { caches: c, maxInputPixels: MAX_PIXELS });
    const final = decodePng(await renderImage(p, decoded, 0)).data;
    const partial = decodePng(await renderImage(p, decoded, 0, 0.5)).data;
    const { y0, y1 } = decoded.boxes.paint;
    const middle = y0 + Math.floor((y1 - y0 + 1) / 2);
    const colours = new Set<number>();
    for (let y = y0; y <= y1; y++)
      for (let x = 0; x < 512; x++) {
        const i = y * 512 + x;
        if (decoded.editability![i] !== 255) continue;
        const at = i * 4;
        if (y < middle - 1) expect(partial.readUInt32BE(at)).toBe(final.readUInt32BE(at));
        if (y > middle + 1) colours.add(partial.readUInt32BE(at));
      }
    expect(colours.size).toBe(1);
  });
});

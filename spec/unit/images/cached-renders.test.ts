import { createHash } from 'node:crypto';
import { prepareEdit, renderImage, type RenderDeps } from '../../../server/edits/render';
import type { EditPlan, InspectedImage, InspectedInputs } from '../../../server/edits/types';
import { testPlan } from '../../helpers/test-plan';
import { createFitCache } from '../../../server/images/fit-input';
import { composePicture, paintEdit } from '../../../server/images/paint-edit';
import { promptPalette } from '../../../server/images/prompt-palette';
import { createRenderCaches } from '../../../server/images/render-caches';
import { createRng, imageSeed } from '../../../server/images/seed';
import { decodePng, fixture } from '../../helpers/fixtures';

function inspected(name: string, param = 'image'): InspectedImage {
  const buffer = fixture(name);
  return {
    param,
    position: param === 'mask' ? 0 : 1,
    field: param,
    filename: name,
    mimetype: 'image/png',
    format: 'png',
    width: 512,
    height: 512,
    hasAlpha: param === 'mask',
    mode: param === 'mask' ? 'RGBA' : 'RGB',
    bytes: buffer.length,
    sha256: createHash('sha256').update(buffer).digest('hex'),
    buffer,
  };
}

const inputs: InspectedInputs = { images: [inspected('scene-512.png')], mask: inspected('mask-512.png', 'mask') };

function plan(overrides: Partial<EditPlan> = {}): EditPlan {
  return testPlan({ n: 2, width: 512, height: 512, editArea: 'mask', editStrength: 0.85, seed: 'f'.repeat(64), ...overrides });
}

const deps = (cached: boolean): RenderDeps => ({
  cache: createFitCache(cached ? 64 << 20 : 0),
  maxInputPixels: 8192 * 8192,
  legacyPngCheck: false,
  ...(cached ? { renders: createRenderCaches(16 << 20) } : {}),
});

/** Renders index/reveal pairs with one set of deps, in order. */
async function renderAll(p: EditPlan, d: RenderDeps, shots: ReadonlyArray<readonly [number, number]>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const [index, reveal] of shots) out.push(await renderImage(p, await prepareEdit(p, inputs, d), index, reveal));
  return out;
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
    const fresh = await renderAll(p, deps(false), SHOTS);
    const cachedDeps = deps(true);
    const cached = await renderAll(p, cachedDeps, SHOTS);
    const again = await renderAll(p, cachedDeps, [...SHOTS].reverse());
    cached.forEach((bytes, i) => expect(bytes.equals(fresh[i]!)).toBe(true));
    again.reverse().forEach((bytes, i) => expect(bytes.equals(fresh[i]!)).toBe(true));
    expect(cachedDeps.renders!.images.size).toBe(4);
  });

  it('reuses the unedited bands of one input across prompts without changing a pixel', async () => {
    const cachedDeps = deps(true);
    for (const prompt of ['a blue bird', 'a green frog', 'a yellow sun']) {
      const p = plan({ prompt, seed: createHash('sha256').update(prompt).digest('hex') });
      const prepared = await prepareEdit(p, inputs, cachedDeps);
      const png = decodePng(await renderImage(p, prepared, 0));
      // The pixels the painter produced, flattened as opaque output is.
      const rng = createRng(imageSeed(p.seed, 0));
      const picture = composePicture(promptPalette(p.prompt, rng), rng, prepared.editability, 512, 512);
      const painted = paintEdit(prepared.base, picture, { editability: prepared.editability, strength: p.editStrength, transparentBackdrop: false, reveal: 1 });
      expect(png.data.equals(painted)).toBe(true);
    }
    expect(cachedDeps.renders!.pngBands.size).toBeGreaterThan(0);
  });

  it('keeps the bands of an input only from its second edit on, with the same bytes either way', async () => {
    const cachedDeps = deps(true);
    const first = await renderImage(plan(), await prepareEdit(plan(), inputs, cachedDeps), 0);
    expect(cachedDeps.renders!.pngBands.size).toBe(0);
    const other = plan({ prompt: 'another prompt', seed: 'c'.repeat(64) });
    const second = await renderImage(other, await prepareEdit(other, inputs, cachedDeps), 0);
    expect(cachedDeps.renders!.pngBands.size).toBeGreaterThan(0);
    expect(first.equals(await renderImage(plan(), await prepareEdit(plan(), inputs, deps(false)), 0))).toBe(true);
    expect(second.equals(await renderImage(other, await prepareEdit(other, inputs, deps(false)), 0))).toBe(true);
  });
});

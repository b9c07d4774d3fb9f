/**
 * The encode-only limit of each unique case: the time this process takes to make just the
 * fresh bytes of one unique answer with the sandbox's own renderer, one after another, with
 * nothing else (no HTTP, no parsing, no base64). For a unique prompt that is the render of a
 * new seed over an input already decoded, with its kept rows warm; for a unique image, the
 * decode and the whole encode. `1000 / ms` is the most answers a second one core could give,
 * so a case's req/s over it says how close the case comes to its own limit.
 */
import { createHash } from 'node:crypto';
import { decodeInputs, type DecodedInputs } from '../server/edits/decode';
import { renderImage } from '../server/edits/render';
import type { EditPlan, InspectedImage, InspectedInputs } from '../server/edits/types';
import { createRenderCaches } from '../server/images/render-caches';
import { testPlan } from '../spec/helpers/test-plan';

export interface LimitRow {
  readonly name: string;
  /** Milliseconds per answer, median. */
  readonly ms: number;
  readonly bytes: number;
}

function inspected(buffer: Buffer, param: 'image' | 'mask', size: number): InspectedImage {
  return {
    param,
    position: param === 'mask' ? 0 : 1,
    field: param,
    filename: `${param}.png`,
    mimetype: 'image/png',
    format: 'png',
    width: size,
    height: size,
    hasAlpha: param === 'mask',
    mode: param === 'mask' ? 'RGBA' : 'RGB',
    bytes: buffer.length,
    sha256: createHash('sha256').update(buffer).digest('hex'),
    buffer,
  };
}

const MAX_PIXELS = 8192 * 8192;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(runs: number, once: (i: number) => Promise<Buffer>): Promise<{ ms: number; bytes: number }> {
  // Warm: the first renders run before the JIT has compiled the painter and the filters.
  for (let i = 1; i <= 8; i++) await once(-i);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    bytes = (await once(i)).length;
    times.push(performance.now() - started);
  }
  return { ms: median(times), bytes };
}

/** Rows for the reference request's unique cases (1024x1024, the bench's mask), and gpt-image-2's largest size. */
export async function encodeLimitRows(scene: Buffer, mask: Buffer, runs = 21): Promise<LimitRow[]> {
  const inputs: InspectedInputs = { images: [inspected(scene, 'image', 1024)], mask: inspected(mask, 'mask', 1024) };
  const plan = (overrides: Partial<EditPlan>, i: number) =>
    testPlan({ editArea: 'mask', editStrength: 1, seed: createHash('sha256').update(`limit ${i}`).digest('hex'), ...overrides });
  const rows: LimitRow[] = [];
  const uniquePrompt = async (name: string, overrides: Partial<EditPlan>) => {
    const caches = createRenderCaches(32 << 20, 128 << 20);
    const decoded: DecodedInputs = await decodeInputs(plan(overrides, 0), inputs, { caches, maxInputPixels: MAX_PIXELS });
    // Seen before, as the second request of an image is: its kept rows and bands are used.
    const memo = { pngBands: caches.pngBands, pngRows: caches.pngRows };
    const result = await timed(runs, (i) => renderImage(plan(overrides, i), decoded, 0, 1, memo));
    rows.push({ name, ...result });
  };
  await uniquePrompt('encode-only limit: png, unique prompt (fresh rows)', {});
  await uniquePrompt('encode-only limit: jpeg q80, unique prompt', { outputFormat: 'jpeg', outputCompression: 80 });
  await uniquePrompt('encode-only limit: webp q80, unique prompt', { outputFormat: 'webp', outputCompression: 80 });
  await uniquePrompt('encode-only limit: png 3840x2160, unique prompt', { model: 'gpt-image-2', size: '3840x2160', width: 3840, height: 2160 });
  // A new image: nothing cached, so decode, fit and every band are fresh.
  const fresh = await timed(runs, async (i) => {
    const caches = createRenderCaches(0, 0);
    const decoded = await decodeInputs(plan({}, i), inputs, { caches, maxInputPixels: MAX_PIXELS });
    return renderImage(plan({}, i), decoded, 0, 1);
  });
  rows.push({ name: 'encode-only limit: png, unique image (decode + whole encode)', ...fresh });
  return rows;
}

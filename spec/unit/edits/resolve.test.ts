import { defaultConfig } from '../../../server/config';
import { resolvePlan } from '../../../server/edits/resolve';
import { fieldDefaults } from '../../../server/contract/field-defaults';
import type { EditFields, FieldDefaults, InspectedImage, ValidatedForm } from '../../../server/edits/types';
import { testContract } from '../../helpers/expect-to-match-spec';
import { findModelRules } from '../../../server/models/rules';

function image(width: number, height: number, sha256 = 'a'.repeat(64)): InspectedImage {
  return { param: 'image', position: 1, field: 'image', filename: 'x.png', mimetype: 'image/png', format: 'png', width, height, hasAlpha: true, mode: 'RGBA', bytes: 1, sha256, buffer: Buffer.alloc(0) };
}

function plan(model: string, fields: Partial<EditFields>, first = image(1024, 1024), mask?: InspectedImage) {
  const defaults = fieldDefaults(testContract(), 'CreateImageEditRequest') as unknown as FieldDefaults;
  const form: ValidatedForm = { rules: findModelRules(model)!, bodyForm: 'multipart', fields: { prompt: 'x', ...fields }, defaults, images: [], mask: undefined, refs: undefined };
  return resolvePlan(form, { images: [first], mask }, defaultConfig().seed);
}

describe('resolvePlan fills defaults and resolves auto', () => {
  it('gives gpt-image-1 its defaults', () => {
    expect(plan('gpt-image-1', {})).toMatchObject({ size: '1024x1024', quality: 'high', background: 'opaque', outputFormat: 'png', outputCompression: 100, inputFidelity: 'low', responseFormat: 'b64_json', n: 1, stream: false, partialImages: 0, editArea: 'whole', reportsUsage: true });
  });

  it('gives dall-e-2 its defaults: 1024x1024, standard, url, the image alpha as edit area', () => {
    expect(plan('dall-e-2', {})).toMatchObject({ size: '1024x1024', quality: 'standard', responseFormat: 'url', editArea: 'alpha', editStrength: 1, reportsUsage: false });
  });

  it.each([
    [1500, 1000, '1536x1024'],
    [1000, 1500, '1024x1536'],
    [1100, 1000, '1024x1024'],
    [3000, 1000, '1536x1024'],
    // The fixtures' shapes.
    [768, 512, '1536x1024'],
    [512, 768, '1024x1536'],
    [512, 512, '1024x1024'],
  ])('picks size=auto for %dx%d as %s', (w, h, size) => {
    expect(plan('gpt-image-1', { size: 'auto' }, image(w, h)).size).toBe(size);
  });

  it('keeps transparent only where the format has alpha', () => {
    expect(plan('gpt-image-1', { background: 'transparent', output_format: 'webp' }).background).toBe('transparent');
    expect(plan('gpt-image-1', { background: 'auto' }).background).toBe('opaque');
  });

  it('uses the mask as edit area when there is one', () => {
    expect(plan('gpt-image-1', {}, image(512, 512), image(512, 512, 'b'.repeat(64))).editArea).toBe('mask');
  });

  it('seeds on what changes pixels, not on n, stream or response_format', () => {
    const base = plan('gpt-image-1', {});
    expect(plan('gpt-image-1', { n: 3, stream: true, response_format: 'url', user: 'u' }).seed).toBe(base.seed);
    expect(plan('gpt-image-1', { quality: 'low' }).seed).not.toBe(base.seed);
    expect(plan('gpt-image-1', {}, image(1024, 1024, 'c'.repeat(64))).seed).not.toBe(base.seed);
  });
});

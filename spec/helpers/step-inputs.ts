/**
 * The values the pipeline's steps pass each other, built from the fixture images, so a unit
 * test can call one step directly (no HTTP): an UploadedFile as parse makes it, a ParsedForm,
 * a ValidatedForm, and an InspectedImage as inspect would describe the fixture.
 */
import { createHash } from 'node:crypto';
import { fieldDefaults } from '../../server/contract/field-defaults';
import { sharedContract } from '../../server/contract/spec';
import type { EditFields, FieldDefaults, ImageFormat, InspectedImage, InspectedInputs, ParsedForm, UploadedFile, ValidatedForm } from '../../server/edits/types';
import { findModelRules } from '../../server/models/rules';
import { contentTypeOf } from './edit-request';
import { fixture } from './fixtures';

/** What each fixture's header says (checked against readImageHeader in unit/images/inspect-image.test.ts). */
export const FIXTURE_HEADERS = {
  'scene-512.png': { format: 'png', width: 512, height: 512, hasAlpha: false, mode: 'RGB' },
  'scene-256.png': { format: 'png', width: 256, height: 256, hasAlpha: false, mode: 'RGB' },
  'scene-768x512.png': { format: 'png', width: 768, height: 512, hasAlpha: false, mode: 'RGB' },
  'scene-512x768.png': { format: 'png', width: 512, height: 768, hasAlpha: false, mode: 'RGB' },
  'scene-rgba-512.png': { format: 'png', width: 512, height: 512, hasAlpha: true, mode: 'RGBA' },
  'scene-rgba-256.png': { format: 'png', width: 256, height: 256, hasAlpha: true, mode: 'RGBA' },
  'scene-512.jpg': { format: 'jpeg', width: 512, height: 512, hasAlpha: false, mode: 'RGB' },
  'scene-512.webp': { format: 'webp', width: 512, height: 512, hasAlpha: false, mode: 'RGB' },
  'scene-16bit-512.png': { format: 'png', width: 512, height: 512, hasAlpha: false, mode: 'RGB' },
  'scene-palette-512.png': { format: 'png', width: 512, height: 512, hasAlpha: false, mode: 'P' },
  'scene-grey-512.png': { format: 'png', width: 512, height: 512, hasAlpha: false, mode: 'L' },
  'scene-animated-512.png': { format: 'png', width: 512, height: 512, hasAlpha: false, mode: 'RGB' },
  'mask-512.png': { format: 'png', width: 512, height: 512, hasAlpha: true, mode: 'RGBA' },
  'mask-256.png': { format: 'png', width: 256, height: 256, hasAlpha: true, mode: 'RGBA' },
  'mask-no-alpha-512.png': { format: 'png', width: 512, height: 512, hasAlpha: false, mode: 'RGB' },
  // Their headers read; their pixels do not (decode refuses them).
  'corrupt-idat-512.png': { format: 'png', width: 512, height: 512, hasAlpha: false, mode: 'RGB' },
  'corrupt-crc-512.png': { format: 'png', width: 512, height: 512, hasAlpha: false, mode: 'RGB' },
} as const satisfies Record<string, { format: ImageFormat; width: number; height: number; hasAlpha: boolean; mode: string }>;

export type FixtureName = keyof typeof FIXTURE_HEADERS;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export interface UploadOptions {
  /** The part's field name (default `image`). */
  readonly field?: string;
  /** How errors name it (default: the field, or `image[i]` as parse numbers array parts). */
  readonly param?: string;
  /** The declared Content-Type (default: from the file name's extension). */
  readonly mimetype?: string;
  /** Bytes instead of the fixture called `name`. */
  readonly bytes?: Buffer;
}

/** A file part as toParsedForm makes it from multer's file. */
export function upload(name: string, options: UploadOptions = {}): UploadedFile {
  const buffer = options.bytes ?? fixture(name);
  const field = options.field ?? 'image';
  return { field, param: options.param ?? field, filename: name, mimetype: options.mimetype ?? contentTypeOf(name), buffer, sha256: sha256(buffer) };
}

/** Image parts sent as `image[]`, numbered as parse numbers them. */
export function imageArray(names: readonly string[]): UploadedFile[] {
  return names.map((name, i) => upload(name, { field: 'image[]', param: `image[${i}]` }));
}

/** A multipart ParsedForm: text fields as received, one `image` part unless told otherwise. */
export function parsedForm(fields: Record<string, unknown>, parts: Partial<Omit<ParsedForm, 'fields' | 'bodyForm'>> = {}): ParsedForm {
  const images = parts.images ?? [upload('scene-512.png')];
  return {
    bodyForm: 'multipart',
    fields,
    images,
    masks: parts.masks ?? [],
    imageIsArray: parts.imageIsArray ?? images.some((image) => image.param !== 'image'),
    otherFiles: parts.otherFiles ?? [],
  };
}

/** A JSON ParsedForm: the body's values as sent, its images by reference and no file parts. */
export function jsonForm(fields: Record<string, unknown>): ParsedForm {
  return { bodyForm: 'json', fields, images: [], masks: [], imageIsArray: false, otherFiles: [] };
}

/** The multipart request's field defaults, as validateForm reads them from openapi.yaml. */
export function multipartDefaults(): FieldDefaults {
  return fieldDefaults(sharedContract(), 'CreateImageEditRequest') as unknown as FieldDefaults;
}

/** A multipart ValidatedForm for `model` (a row of the rules table), as validateForm returns it. */
export function validatedForm(model: string, images: readonly UploadedFile[], mask?: UploadedFile, fields: Partial<EditFields> = {}): ValidatedForm {
  const rules = findModelRules(model);
  if (!rules) throw new Error(`no rules for ${model}`);
  return { rules, bodyForm: 'multipart', fields: { prompt: 'add a red rose', ...fields }, defaults: multipartDefaults(), images, mask, refs: undefined };
}

/** What inspect says of a fixture at a 1-based `position` (0 for the mask), with overrides. */
export function inspected(name: FixtureName, position = 1, overrides: Partial<InspectedImage> = {}): InspectedImage {
  const buffer = fixture(name);
  const param = position === 0 ? 'mask' : 'image';
  return {
    param,
    position,
    field: param,
    filename: name,
    mimetype: contentTypeOf(name),
    ...FIXTURE_HEADERS[name],
    bytes: buffer.length,
    sha256: sha256(buffer),
    buffer,
    ...overrides,
  };
}

/** InspectedInputs from fixture names: the images in order, and the mask if any. */
export function inspectedInputs(images: readonly FixtureName[], mask?: FixtureName): InspectedInputs {
  return { images: images.map((name, i) => inspected(name, i + 1)), mask: mask ? inspected(mask, 0) : undefined };
}

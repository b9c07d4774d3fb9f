/**
 * ValidatedForm -> InspectedInputs. Each upload is judged as the live API judges it: first
 * the part's declared Content-Type, then its bytes (decodable, size, pixels), then the
 * model's image rules (square, alpha) and the mask's (PNG, alpha, same size as image 1).
 */
import type { SandboxConfig } from '../config';
import { badImageBytes, errors } from '../errors/catalogue';
import { readImageHeader, type ImageHeader } from '../images/inspect-image';
import { mimeTypeOf } from '../images/mime-types';
import type { ModelRules } from '../models/rules';
import type { InspectedImage, InspectedInputs, UploadedFile, ValidatedForm } from './types';


/** Known headers by upload sha256: the same bytes have the same header. */
export interface HeaderCache {
  get(sha256: string): ImageHeader | 'unreadable' | undefined;
  set(sha256: string, header: ImageHeader | 'unreadable'): unknown;
}

async function headerOf(file: UploadedFile, known: HeaderCache | undefined): Promise<ImageHeader | undefined> {
  const hit = known?.get(file.sha256);
  if (hit !== undefined) return hit === 'unreadable' ? undefined : hit;
  const header = await readImageHeader(file.buffer);
  known?.set(file.sha256, header ?? 'unreadable');
  return header;
}

async function inspectImage(file: UploadedFile, position: number, rules: ModelRules, config: SandboxConfig, known: HeaderCache | undefined): Promise<InspectedImage> {
  if (file.buffer.length > rules.maxImageBytes)
    throw rules.legacyPngCheck ? errors.legacyPngUnder4Mb() : errors.fileTooLarge(file.param, rules.maxImageBytes);
  const header = await headerOf(file, known);
  // Bytes must be what the part declares (JPEG bytes sent as image/png are refused live).
  if (!header || header.format === 'other' || mimeTypeOf(header.format) !== file.mimetype) throw badImageBytes(position, rules.legacyPngCheck);
  if (header.width * header.height > config.maxInputPixels)
    throw errors.imageTooManyPixels(file.param, header.width, header.height, config.maxInputPixels);
  return {
    param: file.param,
    position,
    field: file.field,
    filename: file.filename,
    mimetype: file.mimetype,
    format: header.format,
    width: header.width,
    height: header.height,
    hasAlpha: header.hasAlpha,
    mode: header.mode,
    bytes: file.buffer.length,
    sha256: file.sha256,
    buffer: file.buffer,
  };
}

async function inspectMask(file: UploadedFile, first: InspectedImage, rules: ModelRules, config: SandboxConfig, known: HeaderCache | undefined): Promise<InspectedImage> {
  if (file.buffer.length > rules.maxMaskBytes) throw errors.fileTooLarge('mask', rules.maxMaskBytes);
  const header = await headerOf(file, known);
  if (!header || header.format !== 'png') throw errors.maskNotPng();
  if (header.width * header.height > config.maxInputPixels)
    throw errors.imageTooManyPixels('mask', header.width, header.height, config.maxInputPixels);
  if (!header.hasAlpha) throw errors.maskMissingAlpha();
  if (header.width !== first.width || header.height !== first.height) throw errors.maskSizeMismatch();
  return {
    param: 'mask',
    position: 0,
    field: file.field,
    filename: file.filename,
    mimetype: file.mimetype,
    format: 'png',
    width: header.width,
    height: header.height,
    hasAlpha: true,
    mode: header.mode,
    bytes: file.buffer.length,
    sha256: file.sha256,
    buffer: file.buffer,
  };
}

export async function inspectUploads(form: ValidatedForm, config: SandboxConfig, known?: HeaderCache): Promise<InspectedInputs> {
  const { rules } = form;
  if (form.images.length === 0) throw errors.missingParameter('image');
  // Declared types first, for every part, as the live API answers `unsupported_file_mimetype` before reading bytes.
  for (const file of form.images)
    if (!rules.imageMimeTypes.includes(file.mimetype)) throw errors.unsupportedMimetype(file.param, file.mimetype, rules.imageMimeTypes);
  if (form.mask && form.mask.mimetype !== 'image/png') throw errors.unsupportedMimetype('mask', form.mask.mimetype, ['image/png']);

  const images = await Promise.all(form.images.map((file, i) => inspectImage(file, i + 1, rules, config, known)));
  const first = images[0]!;
  if (rules.requireSquare && first.width !== first.height) throw errors.imageNotSquare(first.width, first.height);
  const mask = form.mask ? await inspectMask(form.mask, first, rules, config, known) : undefined;
  if (rules.alphaMarksEditWithoutMask && !mask && !first.hasAlpha && first.mode !== 'L') throw errors.imageModeWithoutAlpha(first.mode);
  return { images, mask };
}

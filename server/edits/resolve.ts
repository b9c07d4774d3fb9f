/**
 * ValidatedForm + InspectedInputs -> EditPlan: fills every default and resolves every `auto`,
 * so render, account and respond never branch on absence.
 * @see ../shared/reference/models.md §3 (defaults) and §4 (auto)
 */
import { nearestAspect, parseSize } from '../images/aspect';
import { hashParts } from '../images/seed';
import type { GptQuality, OutputSize } from '../models/rules';
import { outputTokensPerImage } from '../usage/count-output-tokens';
import type { EditArea, EditPlan, InspectedInputs, ValidatedForm } from './types';

/**
 * How strongly each edit area replaces the input: a mask (or dall-e-2's transparent area) is
 * repainted, as the live API does; a GPT edit without a mask blends over the whole image, so
 * the input still shows.
 */
function editStrength(area: EditArea, strict: boolean): number {
  if (strict) return 1;
  return area === 'whole' ? 0.55 : 1;
}

/** The model's token figures the account step multiplies (models/ holds them, usage/ counts with them). */
function accountingOf(form: ValidatedForm, quality: GptQuality | 'standard', width: number, height: number) {
  const tokens = form.rules.reportsUsage && quality !== 'standard' ? form.rules.tokens : null;
  return {
    outputTokensPerImage: tokens ? (outputTokensPerImage(tokens.output, quality as GptQuality, width, height) ?? 0) : 0,
    inputImageTokens: tokens?.input ?? 'tiles-512',
    highFidelitySurcharge: tokens?.highFidelitySurcharge ?? false,
    partialImageTokens: tokens?.perPartialImage ?? 0,
    outputTokensDetails: tokens?.outputDetails ?? false,
  } as const;
}

/** `seed` is the request's (its namespace's, else SANDBOX_SEED): it changes every pixel. */
export function resolvePlan(form: ValidatedForm, inputs: InspectedInputs, seed: string): EditPlan {
  const { rules, fields } = form;
  const first = inputs.images[0]!;
  const requestedSize = fields.size ?? rules.defaultSize;
  const size = (requestedSize === 'auto' ? nearestAspect(first.width, first.height, rules.autoSizes) : requestedSize) as OutputSize;
  const { width, height } = parseSize(size);
  const requestedQuality = fields.quality ?? rules.defaultQuality;
  const quality = (requestedQuality === 'auto' ? rules.autoQuality : requestedQuality) as GptQuality | 'standard';
  const { defaults } = form;
  const outputFormat = fields.output_format ?? defaults.output_format;
  // `auto` resolves to opaque (a fixed, documented rule); jpeg has no alpha at all.
  const background = fields.background === 'transparent' && outputFormat !== 'jpeg' ? 'transparent' : 'opaque';
  const editArea: EditArea = inputs.mask ? 'mask' : rules.alphaMarksEditWithoutMask ? 'alpha' : 'whole';
  const outputCompression = fields.output_compression ?? defaults.output_compression;
  const inputFidelity = fields.input_fidelity ?? defaults.input_fidelity;

  // Only what changes pixels goes into the seed: streaming, n, response_format and user do not.
  const planSeed = hashParts([
    seed,
    rules.id,
    fields.prompt,
    inputs.images.map((image) => image.sha256),
    inputs.mask?.sha256 ?? null,
    size,
    quality,
    background,
    outputFormat,
    outputFormat === 'png' ? null : outputCompression,
    inputFidelity,
  ]);

  return {
    model: rules.id,
    prompt: fields.prompt,
    n: fields.n ?? defaults.n,
    size,
    width,
    height,
    quality,
    background,
    outputFormat,
    outputCompression,
    inputFidelity,
    responseFormat: fields.response_format ?? rules.defaultResponseFormat,
    stream: fields.stream ?? defaults.stream,
    partialImages: fields.partial_images ?? defaults.partial_images,
    editArea,
    editStrength: editStrength(editArea, rules.strictInpainting),
    reportsUsage: rules.reportsUsage,
    ...accountingOf(form, quality, width, height),
    legacyPngCheck: rules.legacyPngCheck,
    seed: planSeed,
  };
}

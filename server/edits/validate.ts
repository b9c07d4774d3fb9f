/**
 * ParsedForm -> ValidatedForm. First the schema in openapi.yaml (types, enums, ranges,
 * unknown fields), then the model's row of the rules table. The first failure is the answer,
 * as the live API reports one problem per response.
 */
import type { ErrorObject } from 'ajv';
import type { SandboxConfig } from '../config';
import type { Contract } from '../contract/spec';
import { errors } from '../errors/catalogue';
import type { SandboxError } from '../errors/sandbox-error';
import { acceptsResponseFormat } from '../models/profiles';
import { chooseModel as chooseModelFor } from '../models/choose-model';
import { findModelRules, listedSizes, modelIds, type FeatureField, type ModelRules } from '../models/rules';
import { sizeError } from '../models/sizes';
import type { EditFields, ParsedForm, ValidatedForm } from './types';

const REQUEST_SCHEMA = 'CreateImageEditRequest';
/** Stand-in for a file part in the data the schema sees (format: binary). */
const FILE_PLACEHOLDER = '<file>';
const FILE_FIELDS = new Set(['image', 'mask']);

/** The value each feature field has when it is not sent: sending it is then harmless. */
const FEATURE_DEFAULTS: Readonly<Record<FeatureField, unknown>> = {
  background: 'auto',
  output_format: 'png',
  output_compression: 100,
  input_fidelity: 'low',
  stream: false,
  partial_images: 0,
};

/** How the live API names the type of a received value in "but got X instead". */
function describeValue(value: unknown, field: string): string {
  if (Array.isArray(value)) return 'an array';
  if (value === FILE_PLACEHOLDER && FILE_FIELDS.has(field)) return 'a file';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal number';
  if (typeof value === 'object') return 'an object';
  const text = String(value);
  if (text.trim() !== '' && Number.isFinite(Number(text))) return Number.isInteger(Number(text)) ? 'an integer' : 'a decimal number';
  return 'a string';
}

function describeExpected(schemaType: unknown, field: string): string {
  if (FILE_FIELDS.has(field)) return field === 'image' ? 'one of an array of files or file' : 'a file';
  switch (schemaType) {
    case 'integer':
      return 'an integer';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return 'a string';
  }
}

function fieldOf(error: ErrorObject): string {
  return error.instancePath.split('/')[1] ?? '';
}

/** One ajv error -> the live API's error for it. `raw` is the data before type coercion. */
export function fromSchemaError(error: ErrorObject, raw: Record<string, unknown>, rules: ModelRules | undefined): SandboxError {
  const field = fieldOf(error);
  const value = raw[field];
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return errors.missingParameter(String(params.missingProperty));
    case 'additionalProperties':
      return errors.unknownParameter(String(params.additionalProperty));
    case 'enum': {
      // Model-dependent enums list what this model supports, as the live API does.
      const supported = field === 'size' && rules ? listedSizes(rules) : field === 'quality' && rules ? rules.qualities : (params.allowedValues as string[]);
      return errors.invalidValue(field, String(value), supported);
    }
    case 'minimum':
      return errors.integerBelowMinimum(field, Number(params.limit), Number(value));
    case 'maximum':
      return errors.integerAboveMaximum(field, Number(params.limit), Number(value));
    case 'minLength':
      return errors.stringTooShort(field, Number(params.limit), String(value).length);
    case 'maxLength':
      return errors.stringTooLong(field, Number(params.limit), String(value).length);
    case 'pattern':
      return errors.stringPattern(field, String(params.pattern));
    case 'type':
      return errors.invalidType(field, describeExpected(params.type, field), describeValue(value, field));
    default:
      // oneOf/format/minItems on files and anything new in the schema: a type problem of the field.
      return errors.invalidType(field || 'body', describeExpected(undefined, field), describeValue(value, field));
  }
}

/** Which model a request gets (models/choose-model.ts), for the multipart form. */
export function chooseModel(form: ParsedForm, config: SandboxConfig): string {
  return chooseModelFor({ fields: form.fields, imageCount: form.images.length, json: false }, config.defaultModel);
}

function checkFilesArePlacedRight(form: ParsedForm): void {
  if (form.fields.image !== undefined) throw errors.invalidType('image', 'one of an array of files or file', 'a string');
  if (form.fields.mask !== undefined) throw errors.invalidType('mask', 'a file', describeValue(form.fields.mask, 'mask'));
  const stray = form.otherFiles[0];
  if (stray) {
    if (stray.field in FEATURE_DEFAULTS || ['prompt', 'model', 'n', 'size', 'quality', 'response_format', 'user'].includes(stray.field))
      throw errors.invalidType(stray.field, 'a string', 'a file');
    throw errors.unknownParameter(stray.field);
  }
  if (form.masks.length > 1) throw errors.invalidType('mask', 'a file', 'an array');
}

/** The model's row of the rules table, applied to schema-valid fields. */
function checkModelRules(fields: EditFields, form: ParsedForm, rules: ModelRules, config: SandboxConfig): void {
  if (rules.maxImages === 1 && form.imageIsArray) throw errors.invalidType('image', 'a file', 'an array');
  if (form.images.length > rules.maxImages) throw errors.tooManyImages(rules.maxImages, form.images.length);
  if (fields.response_format !== undefined && !acceptsResponseFormat(rules, config.profile))
    throw errors.unknownParameter('response_format');
  for (const feature of Object.keys(FEATURE_DEFAULTS) as FeatureField[]) {
    const value = fields[feature];
    const support = rules.features[feature];
    if (value === undefined || support === 'yes' || (support === 'default-only' && value === FEATURE_DEFAULTS[feature])) continue;
    throw feature === 'input_fidelity' ? errors.inputFidelityNotSupported(rules.id) : errors.unsupportedParameter(feature, rules.id);
  }
  const badSize = fields.size === undefined ? undefined : sizeError(rules, fields.size);
  if (badSize) throw badSize;
  if (fields.quality !== undefined && !rules.qualities.includes(fields.quality))
    throw errors.invalidValue('quality', fields.quality, rules.qualities);
  if (fields.prompt.length > rules.promptMaxLength)
    throw errors.stringTooLong('prompt', rules.promptMaxLength, fields.prompt.length);
  // Busboy decodes bad UTF-8 as U+FFFD; NUL has no place in a prompt either.
  if (/[\u0000\uFFFD]/.test(fields.prompt)) throw errors.invalidCharacters('prompt');
  if (fields.stream === true && (fields.n ?? 1) > 1) throw errors.streamingNeedsOneImage();
  if (fields.background === 'transparent' && fields.output_format === 'jpeg') throw errors.transparentNeedsAlphaFormat('jpeg');
}

/** `modelId` is the request's model as chooseModel picked it (once, right after parse). */
export function validateForm(form: ParsedForm, modelId: string, contract: Contract, config: SandboxConfig): ValidatedForm {
  checkFilesArePlacedRight(form);
  const raw: Record<string, unknown> = { ...form.fields };
  if (form.images.length > 0) raw.image = form.imageIsArray ? form.images.map(() => FILE_PLACEHOLDER) : FILE_PLACEHOLDER;
  if (form.masks.length === 1) raw.mask = FILE_PLACEHOLDER;
  const data = structuredClone(raw);
  const validate = contract.requestValidator(REQUEST_SCHEMA);
  const rules = findModelRules(modelId);
  // `model` is any string in the schema (the official anyOf): the rules table says which exist, first.
  if (!rules) throw errors.invalidValue('model', modelId, modelIds());
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw first ? fromSchemaError(first, raw, rules) : errors.internal();
  }
  const { image: _image, mask: _mask, ...fields } = data as unknown as EditFields & { image?: unknown; mask?: unknown };
  const typed = fields as EditFields;
  checkModelRules(typed, form, rules, config);
  return { rules, fields: typed, images: form.images, mask: form.masks[0] };
}

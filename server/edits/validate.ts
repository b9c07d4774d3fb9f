/**
 * ParsedForm -> ValidatedForm, for both body forms. `model` is checked first (the profile
 * says which models exist on the API date); then every other problem is found field by
 * field (the schema in openapi.yaml, then the model's row of the rules table), and the one
 * answered is the first in the live API's order: unknown fields, `prompt`, the images, `n`,
 * then the rest. One problem per response, as live.
 * @see ../shared/reference/models-2026.md §4, §7.3 and §9
 */
import type { SandboxConfig } from '../config';
import { BODY_FORM_SCHEMAS } from '../contract/body-forms';
import { fieldDefaults } from '../contract/field-defaults';
import type { Contract } from '../contract/spec';
import { errors } from '../errors/catalogue';
import type { SandboxError } from '../errors/sandbox-error';
import { chooseModel as chooseModelFor } from '../models/choose-model';
import { acceptsResponseFormat, modelUnder, PROFILES, servedModels } from '../models/profiles';
import { FEATURE_FIELDS, listedSizes, type ModelRules } from '../models/rules';
import { sizeError } from '../models/sizes';
import { characterCount, describeValue, FILE_PLACEHOLDER, fromSchemaError, pickSchemaError, type SchemaErrorContext } from './schema-errors';
import type { EditFields, FieldDefaults, ImageRef, ParsedForm, ValidatedForm } from './types';


/** The slot of problems that are not about one known field (unknown keys, misplaced images). */
const UNKNOWN = '(unknown field)';

/** The live API's order of checks (models-2026.md §9); a field not listed comes last. */
const LIVE_ORDER = [UNKNOWN, 'prompt', 'image', 'images', 'n', 'quality', 'output_compression', 'size', 'background', 'output_format', 'input_fidelity', 'stream', 'partial_images', 'moderation', 'response_format', 'user', 'mask'];

/** JSON fields whose `null` is an error, as live; any other `null` means "not sent". */
const NULL_IS_AN_ERROR = new Set(['model', 'prompt', 'images']);

/** JSON keys that mean a multipart image field. */
const MULTIPART_IMAGE_KEY = /^image(\[\d*\])?$/;

const FILE_FIELDS = { multipart: { image: 'one of an array of files or file', mask: 'a file' }, json: {} } as const;

/** At most one problem per slot; the answer is the first slot in LIVE_ORDER that has one. */
class Problems {
  private readonly bySlot = new Map<string, SandboxError>();

  add(slot: string, problem: SandboxError | undefined): void {
    if (problem && !this.bySlot.has(slot)) this.bySlot.set(slot, problem);
  }

  has(slot: string): boolean {
    return this.bySlot.has(slot);
  }

  first(): SandboxError | undefined {
    for (const slot of LIVE_ORDER) {
      const problem = this.bySlot.get(slot);
      if (problem) return problem;
    }
    return this.bySlot.values().next().value;
  }
}

/** Which model a request gets (models/choose-model.ts): chosen once, right after parse. */
export function chooseModel(form: ParsedForm, config: SandboxConfig): string {
  const json = form.bodyForm === 'json';
  const refs = form.fields.images;
  const imageCount = json ? (Array.isArray(refs) ? refs.length : 0) : form.images.length;
  return chooseModelFor({ fields: form.fields, imageCount, json }, config.defaultModel);
}

/** `model`, before any other field: sent as a string (or omitted where the profile allows), and served on the API date. */
function modelRules(form: ParsedForm, modelId: string, config: SandboxConfig): ModelRules {
  const json = form.bodyForm === 'json';
  const sent = form.fields.model;
  const profile = PROFILES[config.profile];
  if (sent !== undefined && typeof sent !== 'string') throw errors.invalidType('model', 'a string', describeValue(sent, json));
  if (sent === undefined && profile.requiresModel) throw errors.missingParameter('model');
  const rules = modelUnder(modelId, config.profile, config.apiDate);
  if (!rules)
    throw profile.unknownModelAnswer === 'does-not-exist'
      ? errors.modelDoesNotExist(modelId)
      : errors.invalidValue('model', modelId, servedModels(config.profile, config.apiDate).map((served) => served.id));
  if (json && !rules.jsonBody) throw errors.jsonBodyNeedsGptModel(rules.id);
  return rules;
}

/** The data the schema sees: JSON as sent (nulls that mean "not sent" dropped), or multipart text with files as placeholders. */
function schemaData(form: ParsedForm, problems: Problems): Record<string, unknown> {
  // Copied as own properties (never by assignment): a field named `__proto__` stays a field the schema refuses.
  if (form.bodyForm === 'json') return Object.fromEntries(Object.entries(form.fields).filter(([key, value]) => value !== null || NULL_IS_AN_ERROR.has(key)));
  const data: Record<string, unknown> = { ...form.fields };
  if (form.fields.image !== undefined) problems.add('image', errors.invalidType('image', FILE_FIELDS.multipart.image, describeValue(form.fields.image, false)));
  else if (form.images.length > 0) data.image = form.imageIsArray ? form.images.map(() => FILE_PLACEHOLDER) : FILE_PLACEHOLDER;
  if (form.fields.mask !== undefined) problems.add('mask', errors.invalidType('mask', 'a file', describeValue(form.fields.mask, false)));
  else if (form.masks.length > 1) problems.add('mask', errors.invalidType('mask', 'a file', 'an array'));
  else if (form.masks.length === 1) data.mask = FILE_PLACEHOLDER;
  return data;
}

/** Keys the form's schema does not know: the live "unknown parameter" answers (with the live hints for image fields). */
function checkUnknownKeys(form: ParsedForm, data: Record<string, unknown>, known: ReadonlySet<string>, problems: Problems): void {
  const json = form.bodyForm === 'json';
  for (const key of Object.keys(data)) {
    if (known.has(key)) continue;
    if (json && MULTIPART_IMAGE_KEY.test(key)) problems.add(UNKNOWN, errors.jsonImageField(key));
    else if (!json && key === 'images') problems.add(UNKNOWN, errors.multipartImagesField());
    else problems.add(UNKNOWN, errors.unknownParameter(key));
  }
  for (const stray of form.otherFiles) {
    if (stray.field === 'images') problems.add(UNKNOWN, errors.multipartImagesField());
    else if (known.has(stray.field)) problems.add(stray.field, errors.invalidType(stray.field, 'a string', 'a file'));
    else problems.add(UNKNOWN, errors.unknownParameter(stray.field));
  }
}

/** The model's row of the rules table and the API date, applied to fields the schema accepted. */
function checkModelRules(form: ParsedForm, fields: EditFields & { images?: unknown[] }, rules: ModelRules, defaults: FieldDefaults, config: SandboxConfig, problems: Problems): void {
  const { prompt, quality, size, background } = fields;
  if (prompt !== undefined) {
    const length = characterCount(prompt);
    if (length > rules.promptMaxLength) problems.add('prompt', errors.stringTooLong('prompt', rules.promptMaxLength, length));
    // Busboy decodes bad UTF-8 as U+FFFD; NUL has no place in a prompt either.
    if (/[\u0000\uFFFD]/.test(prompt)) problems.add('prompt', errors.invalidCharacters('prompt'));
  }
  if (form.bodyForm === 'multipart' && form.images.length > 0) {
    if (rules.maxImages === 1 && form.imageIsArray) problems.add('image', errors.invalidType('image', 'a file', 'an array'));
    if (form.images.length > rules.maxImages) problems.add('image', errors.arrayTooLong('image', rules.maxImages, form.images.length));
  }
  if (fields.images && fields.images.length > rules.maxImages) problems.add('images', errors.arrayTooLong('images', rules.maxImages, fields.images.length));
  if (fields.response_format !== undefined && !acceptsResponseFormat(rules, config.profile)) problems.add(UNKNOWN, errors.unknownParameter('response_format'));
  if (quality !== undefined && !rules.qualities.includes(quality)) problems.add('quality', errors.invalidValue('quality', quality, rules.qualities));
  if (size !== undefined) problems.add('size', sizeError(rules, size));
  for (const feature of FEATURE_FIELDS) {
    const value = fields[feature];
    const support = rules.features[feature];
    if (value === undefined || support === 'yes' || (support === 'default-only' && value === defaults[feature])) continue;
    problems.add(feature, feature === 'input_fidelity' ? errors.inputFidelityNotSupported(rules.id) : errors.unsupportedParameter(feature, rules.id));
  }
  if (background === 'transparent' && rules.transparentSince !== null && config.apiDate < rules.transparentSince) problems.add('background', errors.transparentNotSupported());
  if (fields.stream === true && (fields.n ?? defaults.n) > 1) problems.add('n', errors.streamingNeedsOneImage());
  if (background === 'transparent' && fields.output_format === 'jpeg') problems.add('background', errors.transparentNeedsAlphaFormat('jpeg'));
}

function refOf(param: string, ref: { image_url?: string; file_id?: string }): ImageRef {
  return { param, imageUrl: ref.image_url, fileId: ref.file_id };
}

/** Compiles what validateForm asks for (every property of both body forms) ahead of the first request. */
export function compileValidators(contract: Contract): void {
  const schemas = (contract.document.components as { schemas: Record<string, { properties: Record<string, unknown> }> }).schemas;
  for (const [form, schemaName] of Object.entries(BODY_FORM_SCHEMAS))
    for (const name of Object.keys(schemas[schemaName]!.properties)) contract.propertyValidator(schemaName, name, form !== 'json');
}

/** `modelId` is the request's model as chooseModel picked it (once, right after parse). */
export function validateForm(form: ParsedForm, modelId: string, contract: Contract, config: SandboxConfig): ValidatedForm {
  const json = form.bodyForm === 'json';
  const schemaName = BODY_FORM_SCHEMAS[form.bodyForm];
  const rules = modelRules(form, modelId, config);
  const schema = (contract.document.components as { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> }).schemas[schemaName]!;
  const known = new Set(Object.keys(schema.properties));
  const defaults = fieldDefaults(contract, schemaName) as unknown as FieldDefaults;
  const context: SchemaErrorContext = {
    json,
    fileFields: FILE_FIELDS[form.bodyForm],
    supported: (param) => (param === 'size' ? listedSizes(rules) : param === 'quality' ? rules.qualities : undefined),
  };

  const problems = new Problems();
  const data = schemaData(form, problems);
  checkUnknownKeys(form, data, known, problems);
  for (const name of schema.required ?? []) if (data[name] === undefined) problems.add(name, errors.missingParameter(name));

  const typed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data)) {
    if (!known.has(name) || name === 'model' || problems.has(name)) continue;
    const holder = { [name]: value };
    const validate = contract.propertyValidator(schemaName, name, !json);
    if (validate(holder)) typed[name] = holder[name];
    else {
      const error = pickSchemaError(validate.errors ?? []);
      problems.add(name, error ? fromSchemaError(error, { [name]: value }, context) : errors.internal());
    }
  }
  if (typeof data.model === 'string') typed.model = data.model;
  const fields = typed as unknown as EditFields & { images?: Array<{ image_url?: string; file_id?: string }>; mask?: unknown };
  checkModelRules(form, fields, rules, defaults, config, problems);
  const problem = problems.first();
  if (problem) throw problem;

  const { image: _image, images, mask, ...rest } = fields as typeof fields & { image?: unknown };
  const refs = json ? { images: (images ?? []).map((ref, i) => refOf(`images[${i}]`, ref)), mask: mask ? refOf('mask', mask as { image_url?: string }) : undefined } : undefined;
  return { rules, bodyForm: form.bodyForm, fields: rest as EditFields, defaults, images: form.images, mask: form.masks[0], refs };
}

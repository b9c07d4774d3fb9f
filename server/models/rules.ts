/**
 * Per-model rules of `POST /v1/images/edits` as data: one row per model id (snapshots and
 * aliases included), with its limits, sizes, qualities, features, token accounting, and
 * release and shutdown dates. Adding a model is adding a row.
 * @see ../shared/reference/models.md and models-2026.md
 */
import {
  GPT_IMAGE_1_OUTPUT_TOKENS,
  GPT_IMAGE_2_QUALITY_FACTORS,
  PARTIAL_IMAGE_OUTPUT_TOKENS,
  type GptQuality,
  type OutputTokenTable,
} from './token-tables';

export type { GptQuality, OutputTokenTable } from './token-tables';

/** A `WIDTHxHEIGHT` string, e.g. `1536x864`. */
export type OutputSize = string;

/** Optional request fields that only some models support. */
export type FeatureField = 'background' | 'output_format' | 'output_compression' | 'input_fidelity' | 'stream' | 'partial_images';

export const FEATURE_FIELDS: readonly FeatureField[] = ['background', 'output_format', 'output_compression', 'input_fidelity', 'stream', 'partial_images'];

/**
 * How a model takes a feature field: `yes` any value; `default-only` only its default value
 * (what SDKs may send for fields the caller never set); `no` refused whatever its value.
 */
export type FeatureSupport = 'yes' | 'default-only' | 'no';

/** How a model takes `size`: a fixed list, or any `WxH` inside limits (gpt-image-2 and later). */
export type SizeRule =
  | { readonly kind: 'fixed'; readonly values: readonly string[] }
  | {
      readonly kind: 'free';
      /** Both sides multiples of this. */
      readonly step: number;
      readonly maxEdge: number;
      /** Long side over short side, at most. */
      readonly maxRatio: number;
      readonly minPixels: number;
      readonly maxPixels: number;
      /** Whether `auto` is accepted too. */
      readonly auto: boolean;
    };

/** How a model's usage is counted; null for models whose answers carry no usage. */
export interface TokenRules {
  /** Output image tokens per image: a published table, or gpt-image-2's formula with a factor per quality. */
  readonly output:
    | { readonly kind: 'table'; readonly table: OutputTokenTable }
    | { readonly kind: 'formula'; readonly factors: Readonly<Record<GptQuality, number>> };
  /** Input image tokens: gpt-image-1's 512-px tiles, or gpt-image-2's 32-px patches. */
  readonly input: 'tiles-512' | 'patches-32';
  /** Whether input_fidelity=high adds the first-image surcharge. */
  readonly highFidelitySurcharge: boolean;
  /** Output tokens added per streamed partial image. */
  readonly perPartialImage: number;
  /** Whether non-streamed answers carry `usage.output_tokens_details` (live: gpt-image-2 and later). */
  readonly outputDetails: boolean;
}

export interface ModelRules {
  readonly id: string;
  /** `dall-e` (one square PNG, url answers) or `gpt-image`. */
  readonly family: 'dall-e' | 'gpt-image';
  /** A dated snapshot behaves as the model it pins. */
  readonly snapshotOf: string | null;
  /** A name that moves to newer models over time (chatgpt-image-latest). */
  readonly movingAlias: boolean;
  /** First day the live API served it (YYYY-MM-DD). */
  readonly released: string;
  /** First day the live API no longer served it; null while active. */
  readonly shutdown: string | null;
  /** At most this many images; 1 means a single file and no array. */
  readonly maxImages: number;
  /** Declared part Content-Types accepted for images (and what the error lists). */
  readonly imageMimeTypes: readonly string[];
  /** Largest accepted image and mask, in bytes. */
  readonly maxImageBytes: number;
  readonly maxMaskBytes: number;
  /** dall-e-2: width must equal height. */
  readonly requireSquare: boolean;
  /** dall-e-2's legacy "must be a PNG and less than 4 MB" answer for bad or oversize bytes. */
  readonly legacyPngCheck: boolean;
  /** dall-e-2: without a mask, the image's own transparency marks the edit. */
  readonly alphaMarksEditWithoutMask: boolean;
  readonly promptMaxLength: number;
  readonly sizes: SizeRule;
  readonly defaultSize: string;
  /** Output sizes `size=auto` chooses from, by the first image's aspect ratio. */
  readonly autoSizes: readonly OutputSize[];
  /** Accepted `quality` values (the live error lists them in this order). */
  readonly qualities: readonly string[];
  readonly defaultQuality: string;
  /** What `quality=auto` resolves to (the seed example answers `high` for `auto`). */
  readonly autoQuality: GptQuality | 'standard';
  /** Which feature fields the model accepts. */
  readonly features: Readonly<Record<FeatureField, FeatureSupport>>;
  /** `background=transparent` is refused before this date (YYYY-MM-DD); null: never refused. */
  readonly transparentSince: string | null;
  /** Whether the JSON body form (`images: [{image_url | file_id}]`) takes this model. */
  readonly jsonBody: boolean;
  /** `url` or `b64_json` when `response_format` is not sent. */
  readonly defaultResponseFormat: 'url' | 'b64_json';
  /** Whether the live API accepts `response_format` at all (profile `openai`). */
  readonly acceptsResponseFormat: boolean;
  /** GPT image responses echo background/output_format/quality/size and carry usage. */
  readonly reportsUsage: boolean;
  /** Strict inpainting repaints only the masked area; GPT models repaint guided by it. */
  readonly strictInpainting: boolean;
  readonly tokens: TokenRules | null;
}

const MB = 1024 * 1024;
const STANDARD_SIZES = ['1024x1024', '1024x1536', '1536x1024'] as const;

const ALL_FEATURES: Readonly<Record<FeatureField, FeatureSupport>> = {
  background: 'yes',
  output_format: 'yes',
  output_compression: 'yes',
  input_fidelity: 'yes',
  stream: 'yes',
  partial_images: 'yes',
};

const dallE2: ModelRules = {
  id: 'dall-e-2',
  family: 'dall-e',
  snapshotOf: null,
  movingAlias: false,
  released: '2022-11-03',
  shutdown: '2026-05-12',
  maxImages: 1,
  imageMimeTypes: ['image/png'],
  maxImageBytes: 4 * MB,
  maxMaskBytes: 4 * MB,
  requireSquare: true,
  legacyPngCheck: true,
  alphaMarksEditWithoutMask: true,
  promptMaxLength: 1000,
  sizes: { kind: 'fixed', values: ['256x256', '512x512', '1024x1024'] },
  defaultSize: '1024x1024',
  autoSizes: ['1024x1024'],
  qualities: ['standard', 'auto'],
  defaultQuality: 'standard',
  autoQuality: 'standard',
  features: {
    background: 'default-only',
    output_format: 'default-only',
    output_compression: 'default-only',
    input_fidelity: 'default-only',
    stream: 'default-only',
    partial_images: 'default-only',
  },
  transparentSince: null,
  jsonBody: false,
  defaultResponseFormat: 'url',
  acceptsResponseFormat: true,
  reportsUsage: false,
  strictInpainting: true,
  tokens: null,
};

const gptImage1: ModelRules = {
  id: 'gpt-image-1',
  family: 'gpt-image',
  snapshotOf: null,
  movingAlias: false,
  released: '2025-04-23',
  shutdown: '2026-10-23',
  maxImages: 16,
  imageMimeTypes: ['image/jpeg', 'image/png', 'image/webp'],
  maxImageBytes: 50 * MB,
  maxMaskBytes: 50 * MB,
  requireSquare: false,
  legacyPngCheck: false,
  alphaMarksEditWithoutMask: false,
  promptMaxLength: 32000,
  sizes: { kind: 'fixed', values: [...STANDARD_SIZES, 'auto'] },
  defaultSize: 'auto',
  autoSizes: ['1024x1024', '1536x1024', '1024x1536'],
  qualities: ['low', 'medium', 'high', 'auto'],
  defaultQuality: 'auto',
  autoQuality: 'high',
  features: ALL_FEATURES,
  transparentSince: null,
  jsonBody: true,
  defaultResponseFormat: 'b64_json',
  acceptsResponseFormat: false,
  reportsUsage: true,
  strictInpainting: false,
  tokens: {
    output: { kind: 'table', table: GPT_IMAGE_1_OUTPUT_TOKENS },
    input: 'tiles-512',
    highFidelitySurcharge: true,
    perPartialImage: PARTIAL_IMAGE_OUTPUT_TOKENS,
    outputDetails: false,
  },
};

/** The December-2025 generation: gpt-image-1's surface and token table (at a lower price). */
const gptImage15: ModelRules = { ...gptImage1, id: 'gpt-image-1.5', released: '2025-12-16', shutdown: '2026-12-01' };

/** gpt-image-2: free sizes, always high input fidelity (the field is refused), its own token formula. */
const gptImage2: ModelRules = {
  ...gptImage1,
  id: 'gpt-image-2',
  released: '2026-04-21',
  shutdown: null,
  sizes: { kind: 'free', step: 16, maxEdge: 3840, maxRatio: 3, minPixels: 655_360, maxPixels: 8_294_400, auto: true },
  features: { ...ALL_FEATURES, input_fidelity: 'no' },
  // Refused at launch; "preview" since 2026-08-20 (spec 010421d).
  transparentSince: '2026-08-20',
  tokens: {
    output: { kind: 'formula', factors: GPT_IMAGE_2_QUALITY_FACTORS },
    input: 'patches-32',
    highFidelitySurcharge: false,
    perPartialImage: PARTIAL_IMAGE_OUTPUT_TOKENS,
    outputDetails: true,
  },
};

/** gpt-image-2.5 and 2.6: gpt-image-2's surface plus qualities xhigh and max, transparent from the start. */
const gptImage25: ModelRules = {
  ...gptImage2,
  id: 'gpt-image-2.5-flare',
  released: '2026-09-08',
  qualities: ['low', 'medium', 'high', 'xhigh', 'max', 'auto'],
  transparentSince: null,
};

/** @note 2.6's day of release is not known (Oct-Nov 2026): the sandbox takes 2026-11-11, its first dated mention. */
const gptImage26: ModelRules = { ...gptImage25, id: 'gpt-image-2.6-flare', released: '2026-11-11' };

const snapshot = (base: ModelRules, id: string): ModelRules => ({ ...base, id, snapshotOf: base.id });

export const MODEL_RULES: readonly ModelRules[] = [
  dallE2,
  gptImage1,
  // gpt-image-1-mini's token counts are unpublished; the gpt-image-1 table stands in.
  { ...gptImage1, id: 'gpt-image-1-mini', released: '2025-10-06', shutdown: '2026-12-01', features: { ...ALL_FEATURES, input_fidelity: 'default-only' } },
  gptImage15,
  snapshot(gptImage15, 'gpt-image-1.5-2025-12-16'),
  { ...gptImage15, id: 'chatgpt-image-latest', movingAlias: true, released: '2025-12-18' },
  gptImage2,
  snapshot(gptImage2, 'gpt-image-2-2026-04-21'),
  gptImage25,
  snapshot(gptImage25, 'gpt-image-2.5-flare-2026-09-08'),
  { ...gptImage25, id: 'gpt-image-2.5-sunburst' },
  { ...snapshot(gptImage25, 'gpt-image-2.5-sunburst-2026-09-08'), snapshotOf: 'gpt-image-2.5-sunburst' },
  gptImage26,
  { ...gptImage26, id: 'gpt-image-2.6-sunburst' },
];

/** The model a request gets when it names none and uses a GPT-image-only parameter (2025 docs). */
export const GPT_DEFAULT_MODEL = 'gpt-image-1';

/** Feature fields some dall-e model lacks: their presence makes an unnamed model a GPT image model. */
export const GPT_ONLY_FIELDS: readonly FeatureField[] = FEATURE_FIELDS.filter((field) =>
  MODEL_RULES.some((rules) => rules.family === 'dall-e' && rules.features[field] !== 'yes'),
);

/** Qualities only GPT image models know (`auto` aside): asking for one also means a GPT model. */
export const GPT_ONLY_QUALITIES: readonly string[] = [
  ...new Set(MODEL_RULES.filter((r) => r.family === 'gpt-image').flatMap((r) => r.qualities)),
].filter((quality) => quality !== 'auto' && !MODEL_RULES.some((r) => r.family === 'dall-e' && r.qualities.includes(quality)));

export function findModelRules(id: string): ModelRules | undefined {
  return MODEL_RULES.find((rules) => rules.id === id);
}

export function modelIds(): string[] {
  return MODEL_RULES.map((rules) => rules.id);
}

/** The sizes a model lists in its errors and its docs: the fixed list, or the standard sizes and `auto`. */
export function listedSizes(rules: ModelRules): readonly string[] {
  if (rules.sizes.kind === 'fixed') return rules.sizes.values;
  return rules.sizes.auto ? [...STANDARD_SIZES, 'auto'] : STANDARD_SIZES;
}

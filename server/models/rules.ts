/**
 * Per-model rules of `POST /v1/images/edits` as data: one row per model, so that adding a
 * model is adding a row. @see ../shared/reference/models.md and tokens.md
 */
export type OutputSize = '256x256' | '512x512' | '1024x1024' | '1536x1024' | '1024x1536';
export type GptQuality = 'low' | 'medium' | 'high';

/** Output image tokens per image, by quality and size (image generation guide). */
export type OutputTokenTable = Readonly<Record<GptQuality, Readonly<Partial<Record<OutputSize, number>>>>>;

/** Optional request fields that only some models support. */
export type FeatureField =
  | 'background'
  | 'output_format'
  | 'output_compression'
  | 'input_fidelity'
  | 'stream'
  | 'partial_images';

export interface ModelRules {
  readonly id: string;
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
  /** Accepted `size` values, `auto` included where supported. */
  readonly sizes: readonly string[];
  readonly defaultSize: string;
  /** Accepted `quality` values. */
  readonly qualities: readonly string[];
  readonly defaultQuality: string;
  /** What `quality=auto` resolves to (the seed example answers `high` for `auto`). */
  readonly autoQuality: GptQuality | 'standard';
  /** Output sizes `size=auto` chooses from, by the first image's aspect ratio. */
  readonly autoSizes: readonly OutputSize[];
  /** Which feature fields the model accepts with a non-default value. */
  readonly features: Readonly<Record<FeatureField, boolean>>;
  /** `url` or `b64_json` when `response_format` is not sent. */
  readonly defaultResponseFormat: 'url' | 'b64_json';
  /** Whether the live API accepts `response_format` at all (profile `openai`). */
  readonly acceptsResponseFormat: boolean;
  /** GPT image responses echo background/output_format/quality/size and carry usage. */
  readonly reportsUsage: boolean;
  /** Strict inpainting repaints only the masked area; GPT models repaint guided by it. */
  readonly strictInpainting: boolean;
  readonly outputTokens: OutputTokenTable | null;
}

const MB = 1024 * 1024;

const GPT_IMAGE_OUTPUT_TOKENS: OutputTokenTable = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};

const ALL_FEATURES: Readonly<Record<FeatureField, boolean>> = {
  background: true,
  output_format: true,
  output_compression: true,
  input_fidelity: true,
  stream: true,
  partial_images: true,
};

const gptImage1: ModelRules = {
  id: 'gpt-image-1',
  maxImages: 16,
  imageMimeTypes: ['image/jpeg', 'image/png', 'image/webp'],
  maxImageBytes: 50 * MB,
  maxMaskBytes: 50 * MB,
  requireSquare: false,
  legacyPngCheck: false,
  alphaMarksEditWithoutMask: false,
  promptMaxLength: 32000,
  sizes: ['1024x1024', '1024x1536', '1536x1024', 'auto'],
  defaultSize: 'auto',
  qualities: ['low', 'medium', 'high', 'auto'],
  defaultQuality: 'auto',
  autoQuality: 'high',
  autoSizes: ['1024x1024', '1536x1024', '1024x1536'],
  features: ALL_FEATURES,
  defaultResponseFormat: 'b64_json',
  acceptsResponseFormat: false,
  reportsUsage: true,
  strictInpainting: false,
  outputTokens: GPT_IMAGE_OUTPUT_TOKENS,
};

export const MODEL_RULES: readonly ModelRules[] = [
  gptImage1,
  {
    id: 'dall-e-2',
    maxImages: 1,
    imageMimeTypes: ['image/png'],
    maxImageBytes: 4 * MB,
    maxMaskBytes: 4 * MB,
    requireSquare: true,
    legacyPngCheck: true,
    alphaMarksEditWithoutMask: true,
    promptMaxLength: 1000,
    sizes: ['256x256', '512x512', '1024x1024'],
    defaultSize: '1024x1024',
    qualities: ['standard', 'auto'],
    defaultQuality: 'standard',
    autoQuality: 'standard',
    autoSizes: ['1024x1024'],
    features: {
      background: false,
      output_format: false,
      output_compression: false,
      input_fidelity: false,
      stream: false,
      partial_images: false,
    },
    defaultResponseFormat: 'url',
    acceptsResponseFormat: true,
    reportsUsage: false,
    strictInpainting: true,
    outputTokens: null,
  },
  // Later GPT image models on this endpoint: same surface, with their documented differences.
  // gpt-image-1-mini's token counts are unpublished; the gpt-image-1 table stands in.
  { ...gptImage1, id: 'gpt-image-1-mini', features: { ...ALL_FEATURES, input_fidelity: false } },
  { ...gptImage1, id: 'gpt-image-1.5' },
];

/** The GPT-image-only fields whose presence makes an unnamed model gpt-image-1 (2025 docs). */
export const GPT_ONLY_FIELDS: readonly FeatureField[] = [
  'background',
  'output_format',
  'output_compression',
  'input_fidelity',
  'stream',
  'partial_images',
];

/** The model a request gets when it names none and uses a GPT-image-only parameter. */
export const GPT_DEFAULT_MODEL = 'gpt-image-1';

export function findModelRules(id: string): ModelRules | undefined {
  return MODEL_RULES.find((rules) => rules.id === id);
}

export function modelIds(): string[] {
  return MODEL_RULES.map((rules) => rules.id);
}

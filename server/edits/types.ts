/** The shapes passed between the pipeline's steps (wire names stay snake_case). */
import type { BodyForm } from '../contract/body-forms';
import type { components } from '../contract/openapi-types.gen';
import type { EditArea, ImageFormat } from '../images/types';
import type { GptQuality, ModelRules, OutputSize } from '../models/rules';

export type { EditArea, ImageFormat };

/** One file part, with the field name it arrived under and the param name errors use. */
export interface UploadedFile {
  readonly field: string;
  /** `image`, `image[0]`, … or `mask`: how the live API names the file in its errors. */
  readonly param: string;
  readonly filename: string;
  /** The part's declared Content-Type. */
  readonly mimetype: string;
  readonly buffer: Buffer;
  /** Hashed once when the body is read: the journal, the caches and the seed all use it. */
  readonly sha256: string;
}

/** Which of the endpoint's two body forms a request used (contract/body-forms.ts). */
export type { BodyForm };

/** parse -> validate: text fields as received, and the files sorted into images and mask. */
export interface ParsedForm {
  readonly bodyForm: BodyForm;
  /** The fields as sent: multipart text, or the JSON body's values (its `images` and `mask` refs included). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly images: readonly UploadedFile[];
  readonly masks: readonly UploadedFile[];
  /** Sent as an array (`image[]`, or several parts): dall-e-2 rejects that. */
  readonly imageIsArray: boolean;
  /** File parts under any other field name. */
  readonly otherFiles: readonly UploadedFile[];
}

/** The request fields after schema validation, typed from openapi.yaml; absent means not sent. */
export type EditFields = Omit<components['schemas']['CreateImageEditRequest'], 'image' | 'mask'>;

/** A JSON edit's image by reference, as validated (exactly one of the two is set). */
export interface ImageRef {
  /** `images[0]`, … or `mask`: how errors name it. */
  readonly param: string;
  readonly imageUrl: string | undefined;
  readonly fileId: string | undefined;
}

/** The model-independent defaults of the request fields, read from openapi.yaml's `default:`. */
export interface FieldDefaults {
  readonly n: number;
  readonly background: NonNullable<EditFields['background']>;
  readonly output_format: NonNullable<EditFields['output_format']>;
  readonly output_compression: number;
  readonly input_fidelity: NonNullable<EditFields['input_fidelity']>;
  readonly stream: boolean;
  readonly partial_images: number;
}

export interface ValidatedForm {
  readonly rules: ModelRules;
  readonly bodyForm: BodyForm;
  readonly fields: EditFields;
  readonly defaults: FieldDefaults;
  /** The uploads (multipart), or the referenced images once loaded (JSON). */
  readonly images: readonly UploadedFile[];
  readonly mask: UploadedFile | undefined;
  /** JSON: the references still to load into `images` and `mask` (load-refs.ts). */
  readonly refs: { readonly images: readonly ImageRef[]; readonly mask: ImageRef | undefined } | undefined;
}

/** What inspect learnt about one upload, read from its header only. */
export interface InspectedImage {
  readonly param: string;
  /** 1-based position in upload order, as the live API counts in its errors. */
  readonly position: number;
  readonly field: string;
  readonly filename: string;
  readonly mimetype: string;
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
  /** PIL-style mode name, as dall-e-2's errors use it: L, LA, RGB, RGBA, P. */
  readonly mode: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly buffer: Buffer;
}

export interface InspectedInputs {
  readonly images: readonly InspectedImage[];
  readonly mask: InspectedImage | undefined;
}

/**
 * The seam of the pipeline: every default filled and every `auto` resolved, so that render,
 * account and respond never branch on absence. A test can build one by hand.
 */
export interface EditPlan {
  readonly model: string;
  readonly prompt: string;
  readonly n: number;
  readonly size: OutputSize;
  readonly width: number;
  readonly height: number;
  /** Resolved quality: low/medium/high for GPT models, standard for dall-e-2. */
  readonly quality: GptQuality | 'standard';
  readonly background: 'transparent' | 'opaque';
  readonly outputFormat: ImageFormat;
  readonly outputCompression: number;
  readonly inputFidelity: 'high' | 'low';
  readonly responseFormat: 'url' | 'b64_json';
  readonly stream: boolean;
  readonly partialImages: number;
  readonly editArea: EditArea;
  /** How strongly the edit replaces the input inside the edit area (1 = strict inpainting). */
  readonly editStrength: number;
  /** Whether the response echoes background/format/quality/size and carries usage. */
  readonly reportsUsage: boolean;
  /** Output image tokens billed per image (0 when the model reports no usage). */
  readonly outputTokensPerImage: number;
  /** How input images are counted: gpt-image-1's 512-px tiles or gpt-image-2's 32-px patches. */
  readonly inputImageTokens: 'tiles-512' | 'patches-32';
  /** Whether input_fidelity=high adds the first-image surcharge. */
  readonly highFidelitySurcharge: boolean;
  /** Output tokens added per streamed partial image. */
  readonly partialImageTokens: number;
  /** Whether the JSON answer's usage carries output_tokens_details. */
  readonly outputTokensDetails: boolean;
  /** Bytes that do not decode get dall-e-2's legacy "must be a PNG and less than 4 MB" answer. */
  readonly legacyPngCheck: boolean;
  /** Hash of everything that decides the pixels; the image index is mixed in per image. */
  readonly seed: string;
}

/**
 * Every error the sandbox answers with, as named constructors. Texts mirror the live API
 * (@see ../shared/reference/errors.md); where no live text is known the message is written in
 * the same voice and the README lists it as the sandbox's own.
 */
import { SandboxError } from './sandbox-error';

const IRE = 'invalid_request_error';
const IGUE = 'image_generation_user_error';

/** "'a', 'b', and 'c'" as the live API lists supported values. */
export function quoteList(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length === 2) return `${quoted[0]} and ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
}

/** Live keys are echoed as their first 8 characters, stars, and their last 4. */
export function maskApiKey(key: string): string {
  if (key.length <= 12) return key;
  return `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}

export const errors = {
  missingApiKey: () =>
    new SandboxError({
      status: 401,
      type: IRE,
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    }),

  incorrectApiKey: (key: string) =>
    new SandboxError({
      status: 401,
      type: IRE,
      code: 'invalid_api_key',
      message: `Incorrect API key provided: ${maskApiKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    }),

  invalidUrl: (method: string, path: string) =>
    new SandboxError({ status: 404, type: IRE, message: `Invalid URL (${method} ${path})` }),

  missingParameter: (param: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'missing_required_parameter',
      message: `Missing required parameter: '${param}'.`,
    }),

  unknownParameter: (param: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'unknown_parameter',
      message: `Unknown parameter: '${param}'.`,
    }),

  /** Sandbox voice, after the live "Unsupported parameter" texts of other endpoints. */
  unsupportedParameter: (param: string, model: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'unsupported_parameter',
      message: `Unsupported parameter: '${param}' is not supported with the model '${model}'.`,
    }),

  invalidValue: (param: string, value: string, supported: readonly string[]) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'invalid_value',
      message: `Invalid value: '${value}'. Supported values are: ${quoteList(supported)}.`,
    }),

  invalidType: (param: string, expected: string, got: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'invalid_type',
      message: `Invalid type for '${param}': expected ${expected}, but got ${got} instead.`,
    }),

  integerBelowMinimum: (param: string, minimum: number, got: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'integer_below_min_value',
      message: `Invalid '${param}': integer below minimum value. Expected a value >= ${minimum}, but got ${got} instead.`,
    }),

  integerAboveMaximum: (param: string, maximum: number, got: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'integer_above_max_value',
      message: `Invalid '${param}': integer above maximum value. Expected a value <= ${maximum}, but got ${got} instead.`,
    }),

  stringTooShort: (param: string, minimum: number, length: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'string_below_min_length',
      message:
        length === 0
          ? `Invalid '${param}': empty string. Expected a string with minimum length ${minimum}, but got an empty string instead.`
          : `Invalid '${param}': string too short. Expected a string with minimum length ${minimum}, but got a string with length ${length} instead.`,
    }),

  stringTooLong: (param: string, maximum: number, length: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'string_above_max_length',
      message: `Invalid '${param}': string too long. Expected a string with maximum length ${maximum}, but got a string with length ${length} instead.`,
    }),

  stringPattern: (param: string, pattern: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'invalid_value',
      message: `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '${pattern}'.`,
    }),

  /** Sandbox voice: control characters and undecodable bytes have no live text. */
  invalidCharacters: (param: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'invalid_value',
      message: `Invalid '${param}': the string contains NUL characters or bytes that are not valid UTF-8.`,
    }),

  imageArrayNotAccepted: () =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'image',
      code: 'invalid_type',
      message: "Invalid type for 'image': expected a file, but got an array instead.",
    }),

  imageNotAFile: () =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'image',
      code: 'invalid_type',
      message: "Invalid type for 'image': expected one of an array of files or file, but got a string instead.",
    }),

  /** Sandbox voice: no live text is known for more than 16 images. */
  tooManyImages: (maximum: number, got: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'image',
      code: 'array_above_max_length',
      message: `Invalid 'image': array too long. Expected an array with maximum length ${maximum}, but got an array with length ${got} instead.`,
    }),

  unsupportedMimetype: (param: string, mimetype: string, supported: readonly string[]) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'unsupported_file_mimetype',
      message: `Invalid file '${param}': unsupported mimetype ('${mimetype}'). Supported file formats are ${quoteList(supported)}.`,
    }),

  /** GPT image models: bytes that do not decode as a supported image. N counts from 1. */
  invalidImageFile: (position: number) =>
    new SandboxError({
      status: 400,
      type: IGUE,
      code: 'invalid_image_file',
      message: `Invalid image file or mode for image ${position}, please check your image file.`,
    }),

  /** dall-e-2's legacy check, for bytes that are not a PNG or are too large. */
  legacyPngUnder4Mb: () =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'image',
      code: 'invalid_image_format',
      message: 'Uploaded image must be a PNG and less than 4 MB.',
    }),

  /** Bytes that are not an acceptable image: the model's own answer (legacy for dall-e-2). */
  badImageBytes: (position: number, legacyPngCheck: boolean) => (legacyPngCheck ? errors.legacyPngUnder4Mb() : errors.invalidImageFile(position)),

  /** Sandbox voice: the live 50 MB text is unknown. */
  fileTooLarge: (param: string, maxBytes: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'file_too_large',
      message: `Invalid file '${param}': file too large. Expected a file of at most ${formatMegabytes(maxBytes)} (${maxBytes} bytes).`,
    }),

  /** The transport limit: the part was cut off while streaming in. */
  uploadTooLarge: (param: string, maxBytes: number) =>
    new SandboxError({
      status: 413,
      type: IRE,
      param,
      code: 'file_too_large',
      message: `Invalid file '${param}': file too large. Expected a file of at most ${formatMegabytes(maxBytes)} (${maxBytes} bytes).`,
    }),

  imageNotSquare: (width: number, height: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'image',
      code: 'invalid_image',
      message: `Invalid input image - expected an image with equal width and height, got ${width}x${height} instead.`,
    }),

  imageModeWithoutAlpha: (mode: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'image',
      code: 'invalid_image',
      message: `Invalid input image - format must be in ['RGBA', 'LA', 'L'], got ${mode}.`,
    }),

  /** Sandbox voice: a header that declares more pixels than the sandbox will ever decode. */
  imageTooManyPixels: (param: string, width: number, height: number, maxPixels: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'image_too_large',
      message: `Invalid image '${param}': ${width}x${height} is ${width * height} pixels, more than the ${maxPixels} pixels the sandbox decodes (SANDBOX_MAX_INPUT_PIXELS).`,
    }),

  maskSizeMismatch: () =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'mask',
      code: 'invalid_mask_image',
      message: 'Invalid mask image format - mask size does not match image size',
    }),

  maskMissingAlpha: () =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'mask',
      code: 'invalid_mask_image',
      message: 'Invalid mask image format - mask image missing alpha channel',
    }),

  /** Sandbox voice, matching the mask texts above. */
  maskNotPng: () =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'mask',
      code: 'invalid_mask_image',
      message: 'Invalid mask image format - mask must be a PNG file',
    }),

  streamingNeedsOneImage: () =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'n',
      code: 'invalid_value',
      message: 'Streaming is only supported with n=1.',
    }),

  transparentNeedsAlphaFormat: (format: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'background',
      code: 'invalid_value',
      message: `Transparent background is not supported for ${format.toUpperCase()} output format`,
    }),

  /** Sandbox voice, after the live gpt-image-2 template. */
  inputFidelityNotSupported: (model: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'input_fidelity',
      code: 'invalid_input_fidelity_model',
      message: `The model '${model}' does not support the 'input_fidelity' parameter.`,
    }),

  malformedMultipart: (why: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      code: 'invalid_multipart_body',
      message: `Could not parse multipart form: ${why}.`,
    }),

  malformedJson: () =>
    new SandboxError({
      status: 400,
      type: IRE,
      code: 'invalid_json',
      message:
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
    }),

  fileNotFound: (name: string) =>
    new SandboxError({
      status: 404,
      type: IRE,
      code: 'file_not_found',
      message: `The file '${name}' does not exist or has expired.`,
    }),

  /** Node's parser refused these before Express saw them (client-error.ts); sandbox voice. */
  headersTooLarge: () =>
    new SandboxError({
      status: 431,
      type: IRE,
      code: 'request_header_fields_too_large',
      message: 'Request header fields too large: the header block exceeds the 16 KB the sandbox reads.',
    }),

  requestTimeout: () =>
    new SandboxError({
      status: 408,
      type: IRE,
      code: 'request_timeout',
      message: 'The request took too long to arrive and was cut off (SANDBOX_REQUEST_TIMEOUT_MS).',
    }),

  malformedHttp: () =>
    new SandboxError({ status: 400, type: IRE, code: 'malformed_request', message: 'The request is not valid HTTP/1.1.' }),

  internal: () =>
    new SandboxError({
      status: 500,
      type: 'server_error',
      message: 'The server had an error while processing your request. Sorry about that!',
    }),
  /** Scenario `rate_limit`: the live GPT image wording, with a retry hint short enough for test suites. */
  rateLimited: (model: string, retryAfterMs: number) =>
    new SandboxError({
      status: 429,
      type: 'requests',
      code: 'rate_limit_exceeded',
      message: `Rate limit reached for ${model} in organization org-sandbox on images per min: Limit 5, Used 5, Requested 1. Please try again in ${(retryAfterMs / 1000).toFixed(retryAfterMs % 1000 === 0 ? 0 : 1)}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      headers: {
        'retry-after': String(Math.ceil(retryAfterMs / 1000)),
        'retry-after-ms': String(retryAfterMs),
        'x-ratelimit-limit-requests': '5',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': `${retryAfterMs}ms`,
        'x-ratelimit-limit-tokens': '100000',
        'x-ratelimit-remaining-tokens': '100000',
        'x-ratelimit-reset-tokens': '0s',
      },
    }),

  insufficientQuota: () =>
    new SandboxError({
      status: 429,
      type: 'insufficient_quota',
      code: 'insufficient_quota',
      message:
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    }),

  overloaded: () =>
    new SandboxError({ status: 503, type: 'server_error', message: 'The engine is currently overloaded, please try again later' }),

  moderationBlocked: (requestId: string) =>
    new SandboxError({
      status: 400,
      type: IGUE,
      code: 'moderation_blocked',
      message: `Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID ${requestId}.`,
    }),

  organizationNotVerified: (model: string) =>
    new SandboxError({
      status: 403,
      type: IRE,
      message: `Your organization must be verified to use the model \`${model}\`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.`,
    }),

  mismatchedOrganization: () =>
    new SandboxError({
      status: 401,
      type: IRE,
      code: 'mismatched_organization',
      message: 'OpenAI-Organization header should match organization for API key',
    }),

  /** Sandbox voice: scenario `timeout` answers only if the client has not given up by the bound. */
  scenarioTimeout: (heldMs: number) =>
    new SandboxError({
      status: 504,
      type: 'server_error',
      code: 'timeout',
      message: `Request timed out: the sandbox held this request for ${heldMs} ms (scenario 'timeout', bounded by SANDBOX_MAX_LATENCY_MS).`,
    }),

  unknownScenario: (name: string, known: readonly string[]) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'scenario',
      code: 'unknown_scenario',
      message: `Unknown sandbox scenario '${name}'. Known scenarios are: ${quoteList(known)}.`,
    }),

  invalidSandboxHeader: (header: string, value: string, expected: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: header,
      code: 'invalid_sandbox_header',
      message: `Invalid header '${header}': expected ${expected}, but got '${value}' instead.`,
    }),

  /** A control request body or query parameter that does not fit its schema. */
  invalidControlValue: (param: string, problem: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'invalid_value',
      message: `Invalid '${param}': ${problem}.`,
    }),

  adminTokenRequired: () =>
    new SandboxError({
      status: 401,
      type: IRE,
      code: 'invalid_admin_token',
      message:
        'The sandbox control surface is locked: send the SANDBOX_ADMIN_TOKEN as `Authorization: Bearer <token>` to use /__sandbox/*.',
    }),

  journalEntryNotFound: (id: string) =>
    new SandboxError({
      status: 404,
      type: IRE,
      code: 'request_not_found',
      message: `No recorded request '${id}': it was never recorded, or the journal has dropped or cleared it.`,
    }),

  journalFileNotFound: (id: string, what: string) =>
    new SandboxError({
      status: 404,
      type: IRE,
      code: 'file_not_found',
      message: `The ${what} of request '${id}' is not kept: it does not exist, or the journal released its bytes (SANDBOX_JOURNAL_BYTES).`,
    }),
  // Hostile and malformed input (sandbox voice: the live API's texts for these are unknown).

  /** A JSON or form-encoded body over the body parser's bound. */
  requestBodyTooLarge: (maxBytes: number) =>
    new SandboxError({
      status: 413,
      type: IRE,
      code: 'request_too_large',
      message: `Request body too large: a JSON or form-encoded body may be at most ${formatMegabytes(maxBytes)} (${maxBytes} bytes). Please send images as multipart/form-data.`,
    }),

  unsupportedCharset: (charset: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      code: 'unsupported_charset',
      message: `Unsupported charset '${charset}' in the Content-Type header. Please send the body as UTF-8.`,
    }),

  unsupportedContentEncoding: (encoding: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      code: 'unsupported_content_encoding',
      message: `Unsupported Content-Encoding '${encoding}'. Please send the body uncompressed, or as gzip, deflate or br.`,
    }),

  /** The body could not be read: cut off, a wrong Content-Length, a broken compression stream. */
  unreadableBody: (why: string) =>
    new SandboxError({
      status: 400,
      type: IRE,
      code: 'invalid_body',
      message: `Could not read the request body: ${why}.`,
    }),

  tooManyParameters: (maximum: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      code: 'too_many_parameters',
      message: `Too many parameters: the request body may hold at most ${maximum} fields. Please send only the documented parameters.`,
    }),

  /** A text field cut off while streaming in: its full length is never known. */
  fieldTooLarge: (param: string, maxBytes: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param,
      code: 'string_above_max_length',
      message: `Invalid '${param}': string too long. Expected a string of at most ${maxBytes} bytes, but got a longer string instead.`,
    }),

  /** More file parts than the multipart reader takes: more than any model's images plus a mask. */
  tooManyFiles: (maxImages: number, maxFiles: number) =>
    new SandboxError({
      status: 400,
      type: IRE,
      param: 'image',
      code: 'array_above_max_length',
      message: `Invalid 'image': array too long. Expected an array with maximum length ${maxImages}, but got more than ${maxFiles} files instead.`,
    }),

} as const;

function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

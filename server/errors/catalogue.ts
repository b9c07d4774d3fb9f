/**
 * Every error the sandbox answers with, as named constructors grouped by the pipeline step
 * that raises them. Texts mirror the live API (@see ../shared/reference/errors.md); where no
 * live text is known the message is written in the same voice, marked "sandbox voice" here,
 * and the README lists it as the sandbox's own. One name per text.
 */
import { SandboxError } from './sandbox-error';

const IRE = 'invalid_request_error';
const IGUE = 'image_generation_user_error';

/** The shape almost every error shares; `param` and `code` default to null. */
function fail(status: number, type: string, message: string, param: string | null = null, code: string | null = null, headers?: Record<string, string>): SandboxError {
  return new SandboxError({ status, type, message, param, code, ...(headers ? { headers } : {}) });
}

/** A 400 invalid_request_error about one parameter: the commonest answer of all. */
const badParam = (param: string | null, code: string | null, message: string) => fail(400, IRE, message, param, code);

/** "'a', 'b', and 'c'" as the live API lists supported values ("or" where it lists what a type error expected). */
export function quoteList(values: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  const quoted = values.map((v) => `'${v}'`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length === 2) return `${quoted[0]} ${conjunction} ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(', ')}, ${conjunction} ${quoted[quoted.length - 1]}`;
}

/** Live keys are echoed as their first 8 characters, stars, and their last 4. */
export function maskApiKey(key: string): string {
  if (key.length <= 12) return key;
  return `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}

/** `50 MB`, `1.5 MB`; under a megabyte in KB (`16 KB`), where MB would round to 0.0. */
function formatSize(bytes: number): string {
  const [amount, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB'] : [bytes / 1024, 'KB'];
  return `${Number.isInteger(amount) ? amount : amount.toFixed(1)} ${unit}`;
}

/** The live `Invalid size '…'. <why>` texts of gpt-image-2 and later (IGUE, param size). */
function invalidSize(size: string, why: string): SandboxError {
  return fail(400, IGUE, `Invalid size '${size}'. ${why}`, 'size', 'invalid_value');
}

/** Routing and the transport (Node's parser, body readers): before any step of the edit. */
const transport = {
  invalidUrl: (method: string, path: string) => fail(404, IRE, `Invalid URL (${method} ${path})`),

  /** Sandbox voice: Node's parser refused these before Express saw them (client-error.ts). */
  headersTooLarge: () => fail(431, IRE, 'Request header fields too large: the header block exceeds the 16 KB the sandbox reads.', null, 'request_header_fields_too_large'),
  requestTimeout: () => fail(408, IRE, 'The request took too long to arrive and was cut off (SANDBOX_REQUEST_TIMEOUT_MS).', null, 'request_timeout'),
  malformedHttp: () => fail(400, IRE, 'The request is not valid HTTP/1.1.', null, 'malformed_request'),
  /** Sandbox voice: Node lets these in (requireHostHeader: false) so that they get the envelope (host-header.ts). */
  missingHostHeader: () => fail(400, IRE, 'The request is not valid HTTP/1.1: it has no Host header. Please send one naming the sandbox (for example Host: localhost:4010).', null, 'malformed_request'),

  /** Sandbox voice: a JSON or form-encoded body over the body parser's bound. */
  requestBodyTooLarge: (maxBytes: number) =>
    fail(413, IRE, `Request body too large: a JSON or form-encoded body may be at most ${formatSize(maxBytes)} (${maxBytes} bytes). Please send images as multipart/form-data.`, null, 'request_too_large'),
  /** Sandbox voice: a control call's JSON body (`/__sandbox/*`), which never carries images. */
  controlBodyTooLarge: (maxBytes: number) =>
    fail(413, IRE, `Request body too large: a control request's JSON body may be at most ${formatSize(maxBytes)} (${maxBytes} bytes).`, null, 'request_too_large'),
  unsupportedCharset: (charset: string) => badParam(null, 'unsupported_charset', `Unsupported charset '${charset}' in the Content-Type header. Please send the body as UTF-8.`),
  unsupportedContentEncoding: (encoding: string) =>
    badParam(null, 'unsupported_content_encoding', `Unsupported Content-Encoding '${encoding}'. Please send the body uncompressed, or as gzip, deflate or br.`),
  /** Sandbox voice: the body could not be read (cut off, a wrong Content-Length, a broken compression stream). */
  unreadableBody: (why: string) => badParam(null, 'invalid_body', `Could not read the request body: ${why}.`),
};

/** receive: the Bearer key. */
const receive = {
  missingApiKey: () =>
    fail(
      401,
      IRE,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    ),
  incorrectApiKey: (key: string) =>
    fail(401, IRE, `Incorrect API key provided: ${maskApiKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, null, 'invalid_api_key'),
};

/** receive: the `x-sandbox-*` control headers (the sandbox's own, not the live API's). */
const sandboxHeaders = {
  invalidSandboxHeader: (header: string, value: string, expected: string) =>
    badParam(header, 'invalid_sandbox_header', `Invalid header '${header}': expected ${expected}, but got '${value}' instead.`),
  /** A misspelt or invented `x-sandbox-*` header, refused rather than ignored. */
  unknownSandboxHeader: (header: string, known: readonly string[]) =>
    badParam(header, 'unknown_sandbox_header', `Unknown sandbox header '${header}'. Known sandbox headers are: ${quoteList(known)}.`),
  unknownScenario: (name: string, known: readonly string[]) =>
    badParam('scenario', 'unknown_scenario', `Unknown sandbox scenario '${name}'. Known scenarios are: ${quoteList(known)}.`),
};

/** parse: the multipart, JSON and form readers. */
const parse = {
  malformedMultipart: (why: string) => badParam(null, 'invalid_multipart_body', `Could not parse multipart form: ${why}.`),
  malformedJson: () =>
    badParam(
      null,
      'invalid_json',
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
    ),
  /** Sandbox voice. */
  tooManyParameters: (maximum: number) =>
    badParam(null, 'too_many_parameters', `Too many parameters: the request body may hold at most ${maximum} fields. Please send only the documented parameters.`),
  /** Sandbox voice: a text field cut off while streaming in; its full length is never known. */
  fieldTooLarge: (param: string, maxBytes: number) =>
    badParam(param, 'string_above_max_length', `Invalid '${param}': string too long. Expected a string of at most ${maxBytes} bytes, but got a longer string instead.`),
  /** Sandbox voice: a part whose headers the reader cannot place is refused, never skipped. */
  unreadablePart: (position: number, name: string | null, header: string) =>
    badParam(
      name,
      'invalid_multipart_part',
      `Could not read multipart part ${position}${name ? ` ('${name}')` : ''}: its headers do not say where it belongs (${header}). Please send a Content-Disposition of form-data with a quoted name (and filename for files).`,
    ),
  /** Sandbox voice: more file parts than the multipart reader takes (more than any model's images plus a mask). */
  tooManyFiles: (maxImages: number, maxFiles: number) =>
    badParam('image', 'array_above_max_length', `Invalid 'image': array too long. Expected an array with maximum length ${maxImages}, but got more than ${maxFiles} files instead.`),
};

/** validate: fields against the schema, then the model's rules. */
const validate = {
  missingParameter: (param: string) => badParam(param, 'missing_required_parameter', `Missing required parameter: '${param}'.`),
  unknownParameter: (param: string) => badParam(param, 'unknown_parameter', `Unknown parameter: '${param}'.`),
  /** Sandbox voice, after the live "Unsupported parameter" texts of other endpoints. */
  unsupportedParameter: (param: string, model: string) =>
    badParam(param, 'unsupported_parameter', `Unsupported parameter: '${param}' is not supported with the model '${model}'.`),
  invalidValue: (param: string, value: string, supported: readonly string[]) =>
    badParam(param, 'invalid_value', `Invalid value: '${value}'. Supported values are: ${quoteList(supported)}.`),
  invalidType: (param: string, expected: string, got: string) => badParam(param, 'invalid_type', `Invalid type for '${param}': expected ${expected}, but got ${got} instead.`),
  /**
   * Live text for an enum field sent as another JSON type (KO-matrix, 2026-08-29: `quality: 1`,
   * `true`, `{}`); the same template is assumed for the other enum fields.
   */
  invalidTypeOneOf: (param: string, supported: readonly string[], got: string) =>
    badParam(param, 'invalid_type', `Invalid type for '${param}': expected one of ${quoteList(supported, 'or')}, but got ${got} instead.`),
  /** Live text for multipart text that is not a whole number (KO-matrix, 2026-08-29). */
  notAnInteger: (param: string) =>
    badParam(param, 'invalid_type', `Invalid type for '${param}': expected an integer, but got a string value that could not be converted into an integer.`),
  integerBelowMinimum: (param: string, minimum: number, got: number) =>
    badParam(param, 'integer_below_min_value', `Invalid '${param}': integer below minimum value. Expected a value >= ${minimum}, but got ${got} instead.`),
  integerAboveMaximum: (param: string, maximum: number, got: number) =>
    badParam(param, 'integer_above_max_value', `Invalid '${param}': integer above maximum value. Expected a value <= ${maximum}, but got ${got} instead.`),
  /** An empty string is `empty_string` (live, JSON prompt); a short one names its length. */
  stringTooShort: (param: string, minimum: number, length: number) =>
    length === 0
      ? badParam(param, 'empty_string', `Invalid '${param}': empty string. Expected a string with minimum length ${minimum}, but got an empty string instead.`)
      : badParam(param, 'string_below_min_length', `Invalid '${param}': string too short. Expected a string with minimum length ${minimum}, but got a string with length ${length} instead.`),
  stringTooLong: (param: string, maximum: number, length: number) =>
    badParam(param, 'string_above_max_length', `Invalid '${param}': string too long. Expected a string with maximum length ${maximum}, but got a string with length ${length} instead.`),
  stringPattern: (param: string, pattern: string) =>
    badParam(param, 'invalid_value', `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '${pattern}'.`),
  /** Sandbox voice: control characters and undecodable bytes have no live text. */
  invalidCharacters: (param: string) => badParam(param, 'invalid_value', `Invalid '${param}': the string contains NUL characters or bytes that are not valid UTF-8.`),
  /** Sandbox voice (no live text is known for more than 16 images), after the live array templates. */
  arrayTooLong: (param: string, maximum: number, got: number) =>
    badParam(param, 'array_above_max_length', `Invalid '${param}': array too long. Expected an array with maximum length ${maximum}, but got an array with length ${got} instead.`),
  /** `images: []` (live code `empty_array`). */
  emptyArray: (param: string, minimum: number) =>
    badParam(param, 'empty_array', `Invalid '${param}': empty array. Expected an array with minimum length ${minimum}, but got an empty array instead.`),
  streamingNeedsOneImage: () => badParam('n', 'invalid_value', 'Streaming is only supported with n=1.'),
  transparentNeedsAlphaFormat: (format: string) =>
    badParam('background', 'invalid_value', `Transparent background is not supported for ${format.toUpperCase()} output format`),
  /** The live gpt-image-2 template. */
  inputFidelityNotSupported: (model: string) =>
    badParam('input_fidelity', 'invalid_input_fidelity_model', `The model '${model}' does not support the 'input_fidelity' parameter.`),
  /** A model the API does not serve (unknown, retired, or not yet released): the live answer, checked before any other field. */
  modelDoesNotExist: (model: string) => fail(400, IGUE, `The model '${model}' does not exist.`, 'model', 'invalid_value'),
  /** gpt-image-2 and later: `size` is not `WIDTHxHEIGHT` (live text). */
  sizeNotWxH: (size: string) => invalidSize(size, "Expected WIDTHxHEIGHT, for example '1824x1024'."),
  /** Live text. */
  sizeNotMultiple: (size: string, step: number) => invalidSize(size, `Width and height must both be divisible by ${step}.`),
  /** Sandbox voice: no live text is known for a ratio over 3:1. */
  sizeAspectRatio: (size: string, maxRatio: number) => invalidSize(size, `The aspect ratio must be between 1:${maxRatio} and ${maxRatio}:1.`),
  /** Sandbox voice: no live text is known for an edge over 3840. */
  sizeEdgeTooLong: (size: string, maxEdge: number) => invalidSize(size, `The longest edge must be at most ${maxEdge} pixels.`),
  /** Sandbox voice, after the live minimum-budget text below. */
  sizeAbovePixelBudget: (size: string) => invalidSize(size, 'Requested resolution is above the current maximum pixel budget.'),
  /** The live text (its prefix is not known; the sandbox gives it the other size texts' prefix). */
  sizeBelowPixelBudget: (size: string) => invalidSize(size, 'Requested resolution is below the current minimum pixel budget.'),
  /** Live text: an `image` key in a JSON body. */
  jsonImageField: (field: string) => badParam(field, 'invalid_value', `Unknown parameter: '${field}'. For application/json on /v1/images/edits, use 'images' (array).`),
  /** Live text: an `images` field or part in a multipart body. */
  multipartImagesField: () => badParam('images', 'invalid_value', "Unknown parameter: 'images'. For multipart/form-data use 'image' or 'image[]'."),
  /** Sandbox voice: an image reference with both or neither of its keys. */
  imageRefNeedsOne: (param: string) => badParam(param, 'invalid_value', `Invalid '${param}': expected an object with exactly one of 'image_url' or 'file_id'.`),
  /** Sandbox voice: JSON edits take GPT image models only (the official schema says so; no live text is known). */
  jsonBodyNeedsGptModel: (model: string) =>
    badParam('model', 'invalid_value', `Invalid value: '${model}'. JSON edits support GPT image models only; send ${model} edits as multipart/form-data.`),
  /** gpt-image-2 before transparent backgrounds entered preview (2026-08-20); live text. */
  transparentNotSupported: () => fail(400, IGUE, 'Transparent background is not supported for this model.', 'background', 'invalid_value'),
};

/** The URL shown in an error: long data URLs and paths cut short. */
function shortUrl(url: string): string {
  return url.length > 120 ? `${url.slice(0, 117)}...` : url;
}

/** load-refs: the images a JSON edit names by `image_url` or `file_id` (sandbox voice: no live texts are known). */
const load = {
  /** The sandbox never opens an outbound connection: a URL it did not serve is refused, unread. */
  imageUrlNotServedHere: (param: string, url: string) =>
    badParam(
      param,
      'invalid_image_url',
      `Invalid '${param}': the sandbox does not fetch images from other hosts ('${shortUrl(url)}'). Send a base64 data URL, a 'file_id' from POST /v1/files, or a URL this sandbox served.`,
    ),
  imageUrlMalformed: (param: string, why: string) => badParam(param, 'invalid_image_url', `Invalid '${param}': ${why}.`),
  /** Sandbox voice: a `/__sandbox/files/…` url whose expiry and signature are missing or do not match. */
  imageUrlUnsigned: (param: string, url: string) =>
    badParam(param, 'invalid_image_url', `Invalid '${param}': '${shortUrl(url)}' does not carry this sandbox's signature (expires and signature missing or changed). Use a data[].url exactly as it was returned.`),
  imageUrlGone: (param: string, url: string) =>
    badParam(param, 'invalid_image_url', `Invalid '${param}': '${shortUrl(url)}' was served by this sandbox but no longer exists (expired or deleted).`),
  /** The Files API's own wording, as a 400 of this request. */
  fileIdNotFound: (param: string, id: string) => badParam(param, null, `No such File object: ${id}`),
};

/** The Files API (`/v1/files`). */
const files = {
  /** Live text (404, param `id`, code null). */
  noSuchFile: (id: string) => fail(404, IRE, `No such File object: ${id}`, 'id'),
};

/** inspect and decode: each upload's declared type, bytes, pixels and shape; the mask. */
const inspect = {
  unsupportedMimetype: (param: string, mimetype: string, supported: readonly string[]) =>
    badParam(param, 'unsupported_file_mimetype', `Invalid file '${param}': unsupported mimetype ('${mimetype}'). Supported file formats are ${quoteList(supported)}.`),
  /** GPT image models: bytes that do not decode as a supported image. N counts from 1. */
  invalidImageFile: (position: number) =>
    new SandboxError({ status: 400, type: IGUE, message: `Invalid image file or mode for image ${position}, please check your image file.`, code: 'invalid_image_file', citesRequestId: true }),
  /** dall-e-2's legacy check, for bytes that are not a PNG or are too large. */
  legacyPngUnder4Mb: () => badParam('image', 'invalid_image_format', 'Uploaded image must be a PNG and less than 4 MB.'),
  /**
   * Sandbox voice: the live 50 MB text is unknown. 400 when the whole file was read and is over
   * the model's limit; 413 when the upload was cut off at SANDBOX_MAX_UPLOAD_BYTES while it arrived.
   */
  fileTooLarge: (param: string, maxBytes: number, status: 400 | 413 = 400) =>
    fail(status, IRE, `Invalid file '${param}': file too large. Expected a file of at most ${formatSize(maxBytes)} (${maxBytes} bytes).`, param, 'file_too_large'),
  imageNotSquare: (width: number, height: number) =>
    badParam('image', 'invalid_image', `Invalid input image - expected an image with equal width and height, got ${width}x${height} instead.`),
  imageModeWithoutAlpha: (mode: string) => badParam('image', 'invalid_image', `Invalid input image - format must be in ['RGBA', 'LA', 'L'], got ${mode}.`),
  /** Sandbox voice: a header that declares more pixels than the sandbox will ever decode. */
  imageTooManyPixels: (param: string, width: number, height: number, maxPixels: number) =>
    badParam(
      param,
      'image_too_large',
      `Invalid image '${param}': ${width}x${height} is ${width * height} pixels, more than the ${maxPixels} pixels the sandbox decodes (SANDBOX_MAX_INPUT_PIXELS).`,
    ),
  maskSizeMismatch: () => badParam('mask', 'invalid_mask_image', 'Invalid mask image format - mask size does not match image size'),
  maskMissingAlpha: () => badParam('mask', 'invalid_mask_image', 'Invalid mask image format - mask image missing alpha channel'),
  /** Sandbox voice, matching the mask texts above. */
  maskNotPng: () => badParam('mask', 'invalid_mask_image', 'Invalid mask image format - mask must be a PNG file'),
};

/** Outcomes a test forces (scenarios), and the sandbox's own failure. */
const outcomes = {
  internal: () => fail(500, 'server_error', 'The server had an error while processing your request. Sorry about that!'),
  /** Scenario `rate_limit`: the live GPT image wording, with a retry hint short enough for test suites. */
  rateLimited: (model: string, retryAfterMs: number) =>
    fail(
      429,
      'requests',
      `Rate limit reached for ${model} in organization org-sandbox on images per min: Limit 5, Used 5, Requested 1. Please try again in ${(retryAfterMs / 1000).toFixed(retryAfterMs % 1000 === 0 ? 0 : 1)}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      null,
      'rate_limit_exceeded',
      {
        'retry-after': String(Math.ceil(retryAfterMs / 1000)),
        'retry-after-ms': String(retryAfterMs),
        'x-ratelimit-limit-requests': '5',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': `${retryAfterMs}ms`,
        'x-ratelimit-limit-tokens': '100000',
        'x-ratelimit-remaining-tokens': '100000',
        'x-ratelimit-reset-tokens': '0s',
      },
    ),
  insufficientQuota: () =>
    fail(
      429,
      'insufficient_quota',
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
      null,
      'insufficient_quota',
    ),
  overloaded: () => fail(503, 'server_error', 'The engine is currently overloaded, please try again later'),
  /** The direct API's 2026 body: `moderation_details` inside `error`, after `code` (models-2026.md §8.3). */
  moderationBlocked: () =>
    new SandboxError({
      status: 400,
      type: IGUE,
      message: 'Your request was rejected by the safety system.',
      code: 'moderation_blocked',
      citesRequestId: true,
      details: { moderation_details: { moderation_stage: 'input', categories: ['other'] } },
    }),
  organizationNotVerified: (model: string) =>
    fail(
      403,
      IRE,
      `Your organization must be verified to use the model \`${model}\`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.`,
    ),
  mismatchedOrganization: () => fail(401, IRE, 'OpenAI-Organization header should match organization for API key', null, 'mismatched_organization'),
  /**
   * Sandbox voice: the shared state backend (Redis) cannot be reached or did not answer in time.
   * Nothing is invented in its place; the SDKs retry a 503 on their own.
   */
  stateUnavailable: (why: string) =>
    fail(503, 'server_error', `The sandbox's state backend is unavailable (${why}), so this request was not served. Retry once GET /__sandbox/ready answers 200.`, null, 'state_unavailable'),
  /**
   * Sandbox voice, never sent: what the journal records (nginx's 499) when the client left
   * before its answer was complete, `when` saying at which point.
   */
  clientClosedRequest: (when: string) =>
    fail(499, 'client_closed_request', `The client closed the connection ${when}, so it did not receive the whole answer.`, null, 'client_closed_request'),
  /** Sandbox voice: scenario `timeout` answers only if the client has not given up by the bound. */
  scenarioTimeout: (heldMs: number) =>
    fail(504, 'server_error', `Request timed out: the sandbox held this request for ${heldMs} ms (scenario 'timeout', bounded by SANDBOX_MAX_LATENCY_MS).`, null, 'timeout'),
};

/** Answers that come from elsewhere: the upstream of the recording proxy, or a cassette; sandbox voice throughout. */
const elsewhere = {
  /** The upstream did not answer, or its answer broke off; nothing of it was passed on. */
  upstreamUnreachable: (upstream: string, why: string) =>
    fail(502, 'server_error', `The sandbox could not get an answer from its upstream ${upstream} (${why}), so this request has no answer. Check SANDBOX_UPSTREAM and that the upstream is reachable from the sandbox.`, null, 'upstream_unreachable'),
  /** SANDBOX_REPLAY_MISS=error: the cassette has no exchange with this request's replay key. */
  replayMiss: (method: string, path: string, key: string) =>
    fail(
      404,
      IRE,
      `The cassette has no exchange for ${method} ${path} with replay key ${key.slice(0, 16)}…: record it (SANDBOX_UPSTREAM with SANDBOX_RECORD_DIR), or set SANDBOX_REPLAY_MISS=generate to have the sandbox answer requests the cassette does not hold.`,
      null,
      'replay_miss',
    ),
  /** A file of the matched exchange could not be read after the cassette was loaded (deleted or changed since). */
  cassetteUnreadable: (exchange: string, why: string) =>
    fail(500, 'server_error', `The cassette exchange ${exchange} could not be replayed: ${why}. Restore the cassette folder, or record it again.`, null, 'cassette_unreadable'),
};

/** The control surface (`/__sandbox/*`) and the url files it serves; sandbox voice throughout. */
const controls = {
  fileNotFound: (name: string) => fail(404, IRE, `The file '${name}' does not exist or has expired.`, null, 'file_not_found'),
  /** A state-changing control call from a page on another origin (or a form-like POST from a browser). */
  crossSiteRefused: (method: string, path: string, why: string) =>
    fail(403, IRE, `Refused ${method} ${path} from a web browser: ${why}. The control surface changes state only for the sandbox's own pages and for non-browser clients.`, null, 'cross_site_request_refused'),
  /** DNS rebinding guard: a loopback sandbox answers only loopback names (and SANDBOX_ALLOWED_HOSTS). */
  hostNotAllowed: (host: string) =>
    fail(403, IRE, `Refused a request addressed to '${host}': this sandbox listens on loopback and answers only localhost names. Add the name to SANDBOX_ALLOWED_HOSTS to serve it.`, null, 'host_not_allowed'),
  /** A `data[].url` whose signature is missing or does not match its name and expiry. */
  invalidUrlSignature: (name: string) =>
    fail(403, IRE, `The url of file '${name}' is not valid: its signature is missing or does not match. Use a \`data[].url\` exactly as the sandbox returned it.`, null, 'invalid_url_signature'),
  /** A control request body or query parameter that does not fit its schema. */
  invalidControlValue: (param: string, problem: string) => badParam(param, 'invalid_value', `Invalid '${param}': ${problem}.`),
  /** A query parameter of a control call, named as one (a header of the same name would be `invalidSandboxHeader`). */
  invalidQueryParameter: (param: string, problem: string) => badParam(param, 'invalid_value', `Invalid query parameter '${param}': ${problem}.`),
  /** A query parameter a control read does not take: refused, so that a misspelt filter does not list everything. */
  unknownQueryParameter: (param: string, known: readonly string[]) =>
    badParam(param, 'unknown_parameter', `Unknown query parameter '${param}'. Known parameters are: ${quoteList(known)}.`),
  adminTokenRequired: () =>
    fail(401, IRE, 'The sandbox control surface is locked: send the SANDBOX_ADMIN_TOKEN as `Authorization: Bearer <token>` to use /__sandbox/*.', null, 'invalid_admin_token'),
  journalEntryNotFound: (id: string) =>
    fail(404, IRE, `No recorded request '${id}': it was never recorded, or the journal has dropped or cleared it.`, null, 'request_not_found'),
  journalFileNotFound: (id: string, what: string) =>
    fail(404, IRE, `The ${what} of request '${id}' is not kept: it does not exist, or the journal released its bytes (SANDBOX_JOURNAL_BYTES).`, null, 'file_not_found'),
};

type Constructors = Readonly<Record<string, (...args: never[]) => SandboxError>>;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every group, by the name a SandboxError's `catalogueGroup` gives. */
const GROUPS = { transport, receive, sandboxHeaders, parse, validate, load, files, inspect, outcomes, elsewhere, controls } as const;

export type CatalogueGroup = keyof typeof GROUPS;

/**
 * What a group's errors are to a client of the contract (outcome coverage counts only `api`):
 * `api` the edits endpoint's and the Files API's own answers; `scenario` answers a test forces
 * (counted as their scenario) or the sandbox's own failures; `transport` and `control` errors
 * of the HTTP layer and of the sandbox's control surface, headers and proxy machinery (an
 * unreachable upstream, a cassette's miss: not answers of the API).
 */
export const GROUP_ROLES: Readonly<Record<CatalogueGroup, 'api' | 'scenario' | 'transport' | 'control'>> = {
  transport: 'transport',
  receive: 'api',
  sandboxHeaders: 'control',
  parse: 'api',
  validate: 'api',
  load: 'api',
  files: 'api',
  inspect: 'api',
  outcomes: 'scenario',
  elsewhere: 'control',
  controls: 'control',
};

export interface CatalogueEntry {
  readonly name: string;
  readonly group: CatalogueGroup;
}

/** Every name of the catalogue with its group, in the order of this file. */
export const CATALOGUE: readonly CatalogueEntry[] = Object.entries(GROUPS).flatMap(([group, constructors]) =>
  Object.keys(constructors).map((name) => ({ name, group: group as CatalogueGroup })),
);

/**
 * The groups as one object whose constructors stamp each error with the name (and group) it
 * was built by, so whoever answers it knows which entry of the catalogue a client received.
 */
function named<G extends Readonly<Record<string, Constructors>>>(groups: G): UnionToIntersection<G[keyof G]> {
  const all: Record<string, (...args: never[]) => SandboxError> = {};
  for (const { name, group } of CATALOGUE) {
    if (Object.hasOwn(all, name)) throw new Error(`the error catalogue names '${name}' twice`);
    const make = (groups[group] as Constructors)[name]!;
    const stamped = (...args: never[]) => make(...args).builtBy(name, group);
    // Keep the arity: the catalogue's tests build every entry from it.
    all[name] = Object.defineProperty(stamped, 'length', { value: make.length });
  }
  return all as UnionToIntersection<G[keyof G]>;
}

export const errors = named(GROUPS);

/** Bytes that are not an acceptable image: the model's own answer (the legacy one for dall-e-2). */
export function badImageBytes(position: number, legacyPngCheck: boolean): SandboxError {
  return legacyPngCheck ? errors.legacyPngUnder4Mb() : errors.invalidImageFile(position);
}

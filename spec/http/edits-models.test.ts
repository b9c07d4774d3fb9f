/**
 * Every rule of the rules table and the profiles, one row each: the model, the field and its
 * value, the profile and API date it is asked under, and the live answer (status, type,
 * param, code, message). A 200 row also checks the answer's size and usage shape.
 */
import type { SandboxOptions } from '../../server/start-sandbox';
import { postEdit, type EditFile } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { testApp } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';
const IRE = 'invalid_request_error';
const IGUE = 'image_generation_user_error';
const OPENAI: SandboxOptions = { profile: 'openai' };
const at = (apiDate: string, profile: SandboxOptions['profile'] = 'seed'): SandboxOptions => ({ profile, apiDate });

interface Row {
  readonly model: string | undefined;
  readonly field: string;
  readonly value: string | undefined;
  readonly options?: SandboxOptions;
  readonly status: number;
  readonly type?: string;
  readonly param?: string | null;
  readonly code?: string | null;
  readonly message?: string | RegExp;
  /** 200 rows: the answer's size. */
  readonly size?: string;
}

const ok = (model: string, field: string, value: string, size = '1024x1024', options?: SandboxOptions): Row => ({ model, field, value, status: 200, size, ...(options ? { options } : {}) });
const sizeError = (model: string, value: string, why: string): Row => ({ model, field: 'size', value, status: 400, type: IGUE, param: 'size', code: 'invalid_value', message: `Invalid size '${value}'. ${why}` });
const doesNotExist = (model: string, options: SandboxOptions = OPENAI): Row => ({ model, field: 'model', value: model, options, status: 400, type: IGUE, param: 'model', code: 'invalid_value', message: `The model '${model}' does not exist.` });
const fidelityRefused = (model: string, value: string): Row => ({ model, field: 'input_fidelity', value, status: 400, type: IRE, param: 'input_fidelity', code: 'invalid_input_fidelity_model', message: `The model '${model}' does not support the 'input_fidelity' parameter.` });
const GPT1_SIZES = "Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.";
const FOUR_QUALITIES = "Supported values are: 'low', 'medium', 'high', and 'auto'.";

const rows: Row[] = [
  // Sizes: gpt-image-2 and later take any WxH within the limits; the rest a fixed list.
  ok('gpt-image-2', 'size', '1536x864', '1536x864'),
  ok('gpt-image-2-2026-04-21', 'size', '1536x864', '1536x864'),
  ok('gpt-image-2', 'size', '1024x640', '1024x640'),
  ok('gpt-image-2', 'size', '3840x2160', '3840x2160'),
  ok('gpt-image-2', 'size', '1280x720', '1280x720'),
  ok('gpt-image-2.5-flare', 'size', '896x896', '896x896'),
  ok('gpt-image-2.6-sunburst', 'size', '1152x2048', '1152x2048'),
  ok('gpt-image-2', 'size', 'auto', '1024x1024'),
  sizeError('gpt-image-2', '1000x1000', 'Width and height must both be divisible by 16.'),
  sizeError('gpt-image-2', '3840x1024', 'The aspect ratio must be between 1:3 and 3:1.'),
  sizeError('gpt-image-2', '4096x2304', 'The longest edge must be at most 3840 pixels.'),
  sizeError('gpt-image-2.5-sunburst', '3840x2176', 'Requested resolution is above the current maximum pixel budget.'),
  sizeError('gpt-image-2', '768x768', 'Requested resolution is below the current minimum pixel budget.'),
  sizeError('gpt-image-2', 'bogus', "Expected WIDTHxHEIGHT, for example '1824x1024'."),
  sizeError('gpt-image-2', '0x0', "Expected WIDTHxHEIGHT, for example '1824x1024'."),
  { model: 'gpt-image-1', field: 'size', value: '1536x864', status: 400, type: IRE, param: 'size', code: 'invalid_value', message: `Invalid value: '1536x864'. ${GPT1_SIZES}` },
  { model: 'gpt-image-1.5', field: 'size', value: '2048x2048', status: 400, type: IRE, param: 'size', code: 'invalid_value', message: `Invalid value: '2048x2048'. ${GPT1_SIZES}` },
  { model: 'chatgpt-image-latest', field: 'size', value: '1536x864', status: 400, type: IRE, param: 'size', code: 'invalid_value' },
  { model: 'gpt-image-1', field: 'size', value: '512x512', status: 400, type: IRE, param: 'size', code: 'invalid_value', message: `Invalid value: '512x512'. ${GPT1_SIZES}` },
  { model: 'dall-e-2', field: 'size', value: '1536x1024', status: 400, type: IRE, param: 'size', code: 'invalid_value', message: "Invalid value: '1536x1024'. Supported values are: '256x256', '512x512', and '1024x1024'." },
  ok('gpt-image-1-mini', 'size', '1536x1024', '1536x1024'),
  // Qualities: xhigh and max on 2.5 and 2.6 only.
  ok('gpt-image-2.5-flare', 'quality', 'xhigh'),
  ok('gpt-image-2.5-sunburst-2026-09-08', 'quality', 'max'),
  ok('gpt-image-2.6-flare', 'quality', 'max'),
  { model: 'gpt-image-2', field: 'quality', value: 'xhigh', status: 400, type: IRE, param: 'quality', code: 'invalid_value', message: `Invalid value: 'xhigh'. ${FOUR_QUALITIES}` },
  { model: 'gpt-image-1', field: 'quality', value: 'max', status: 400, type: IRE, param: 'quality', code: 'invalid_value', message: `Invalid value: 'max'. ${FOUR_QUALITIES}` },
  { model: 'gpt-image-1', field: 'quality', value: 'standard', status: 400, type: IRE, param: 'quality', code: 'invalid_value', message: `Invalid value: 'standard'. ${FOUR_QUALITIES}` },
  { model: 'dall-e-2', field: 'quality', value: 'high', status: 400, type: IRE, param: 'quality', code: 'invalid_value', message: "Invalid value: 'high'. Supported values are: 'standard' and 'auto'." },
  {
    model: 'gpt-image-2.5-flare',
    field: 'quality',
    value: 'standard',
    status: 400,
    type: IRE,
    param: 'quality',
    code: 'invalid_value',
    message: "Invalid value: 'standard'. Supported values are: 'low', 'medium', 'high', 'xhigh', 'max', and 'auto'.",
  },
  // input_fidelity: refused whatever its value on 2, 2.5, 2.6; only its default on mini.
  fidelityRefused('gpt-image-2', 'high'),
  fidelityRefused('gpt-image-2', 'low'),
  fidelityRefused('gpt-image-2-2026-04-21', 'high'),
  fidelityRefused('gpt-image-2.5-sunburst', 'high'),
  fidelityRefused('gpt-image-2.6-flare', 'low'),
  fidelityRefused('gpt-image-1-mini', 'high'),
  ok('gpt-image-1-mini', 'input_fidelity', 'low'),
  ok('gpt-image-1.5', 'input_fidelity', 'high'),
  ok('chatgpt-image-latest', 'input_fidelity', 'high'),
  // Transparent backgrounds: gpt-image-2 refused them before their preview (2026-08-20).
  ok('gpt-image-2', 'background', 'transparent'),
  { ...ok('gpt-image-2', 'background', 'transparent'), options: at('2026-08-20') },
  { model: 'gpt-image-2', field: 'background', value: 'transparent', options: at('2026-08-19'), status: 400, type: IGUE, param: 'background', code: 'invalid_value', message: 'Transparent background is not supported for this model.' },
  { model: 'gpt-image-2-2026-04-21', field: 'background', value: 'transparent', options: at('2026-05-01', 'openai'), status: 400, type: IGUE, param: 'background', code: 'invalid_value' },
  { ...ok('gpt-image-2.5-flare', 'background', 'transparent'), options: at('2026-09-08', 'openai') },
  { model: 'dall-e-2', field: 'background', value: 'transparent', status: 400, type: IRE, param: 'background', code: 'unsupported_parameter', message: "Unsupported parameter: 'background' is not supported with the model 'dall-e-2'." },
  // dall-e-2 refuses the GPT-only fields, but takes each with its default value, as SDKs may send them.
  { model: 'dall-e-2', field: 'output_format', value: 'webp', status: 400, type: IRE, param: 'output_format', code: 'unsupported_parameter', message: "Unsupported parameter: 'output_format' is not supported with the model 'dall-e-2'." },
  { model: 'dall-e-2', field: 'stream', value: 'true', status: 400, type: IRE, param: 'stream', code: 'unsupported_parameter', message: "Unsupported parameter: 'stream' is not supported with the model 'dall-e-2'." },
  fidelityRefused('dall-e-2', 'high'),
  ok('dall-e-2', 'stream', 'false', '256x256'),
  ok('dall-e-2', 'background', 'auto', '256x256'),
  ok('dall-e-2', 'output_format', 'png', '256x256'),
  ok('dall-e-2', 'partial_images', '0', '256x256'),
  // Which models exist: every one under seed; the live ones on the API date under openai.
  ok('dall-e-2', 'model', 'dall-e-2', '256x256'),
  ok('gpt-image-1', 'model', 'gpt-image-1'),
  ok('gpt-image-2.6-sunburst', 'model', 'gpt-image-2.6-sunburst'),
  { model: 'dall-e-3', field: 'model', value: 'dall-e-3', status: 400, type: IRE, param: 'model', code: 'invalid_value', message: /^Invalid value: 'dall-e-3'\. Supported values are: 'dall-e-2', 'gpt-image-1', .*'gpt-image-2\.6-sunburst'\.$/ },
  doesNotExist('dall-e-2'),
  doesNotExist('gpt-image-1'),
  doesNotExist('gpt-image-1-mini'),
  doesNotExist('gpt-image-1.5'),
  doesNotExist('gpt-image-1.5-2025-12-16'),
  doesNotExist('chatgpt-image-latest'),
  doesNotExist('dall-e-3'),
  doesNotExist('image-2'),
  { ...ok('gpt-image-2', 'model', 'gpt-image-2'), options: OPENAI },
  { ...ok('gpt-image-2.6-flare', 'model', 'gpt-image-2.6-flare'), options: OPENAI },
  doesNotExist('dall-e-2', at('2026-05-12', 'openai')),
  { ...ok('dall-e-2', 'model', 'dall-e-2', '256x256'), options: at('2026-05-11', 'openai') },
  { ...ok('gpt-image-1', 'model', 'gpt-image-1'), options: at('2026-10-22', 'openai') },
  doesNotExist('gpt-image-1', at('2026-10-23', 'openai')),
  doesNotExist('gpt-image-2', at('2026-04-20', 'openai')),
  doesNotExist('gpt-image-2.5-flare', at('2026-09-07', 'openai')),
  doesNotExist('gpt-image-2.6-sunburst', at('2026-11-10', 'openai')),
  { model: undefined, field: 'model', value: undefined, options: OPENAI, status: 400, type: IRE, param: 'model', code: 'missing_required_parameter', message: "Missing required parameter: 'model'." },
  { model: undefined, field: 'quality', value: 'low', status: 200, size: '1024x1024' },
  // response_format: honoured on GPT models by the seed contract, unknown to the live API.
  { model: 'gpt-image-2', field: 'response_format', value: 'url', status: 200, size: '1024x1024' },
  { model: 'gpt-image-2', field: 'response_format', value: 'url', options: OPENAI, status: 400, type: IRE, param: 'response_format', code: 'unknown_parameter', message: "Unknown parameter: 'response_format'." },
  // An API date when gpt-image-1 and dall-e-2 were both served: refused on the one, honoured on the other.
  { model: 'gpt-image-1', field: 'response_format', value: 'url', options: at('2026-05-01', 'openai'), status: 400, type: IRE, param: 'response_format', code: 'unknown_parameter', message: "Unknown parameter: 'response_format'." },
  { ...ok('dall-e-2', 'response_format', 'b64_json', '256x256'), options: at('2026-05-01', 'openai') },
  // The model is checked before any other field, then unknown fields first.
  { ...doesNotExist('dall-e-2'), field: 'style', value: 'vivid' },
  { model: 'gpt-image-2', field: 'style', value: 'vivid', options: OPENAI, status: 400, type: IRE, param: 'style', code: 'unknown_parameter' },
];

const apps = new Map<string, ReturnType<typeof testApp>['app']>();
function appFor(options: SandboxOptions = {}) {
  const key = JSON.stringify(options);
  let app = apps.get(key);
  if (!app) apps.set(key, (app = testApp(options).app));
  return app;
}

describe('the rules table and the profiles, rule by rule', () => {
  it.each(rows)('$model $field=$value ($options) -> $status $code', async (row) => {
    const dalle = row.model === 'dall-e-2';
    const fields: Record<string, string> = { prompt: 'add a red rose', ...(dalle ? { size: '256x256' } : { quality: 'low' }) };
    if (row.model !== undefined) fields.model = row.model;
    // The row's field comes last; a `style` row adds the field to a request for its model.
    if (row.value !== undefined && row.field !== 'model') fields[row.field] = row.value;
    if (row.field === 'background' && row.value === 'transparent' && !dalle) fields.output_format = 'png';
    const files: EditFile[] = [{ name: dalle ? 'scene-rgba-256.png' : 'scene-512.png' }];
    const res = await postEdit(appFor(row.options), fields, files);
    expect(res.status).toBe(row.status);
    expectToMatchSpec(res, EDITS);
    if (row.status === 200) {
      if (res.body.size !== undefined) expect(res.body.size).toBe(row.size);
      const details = res.body.usage?.output_tokens_details;
      // Live: gpt-image-2 and later report output_tokens_details; 1.x models do not.
      if (res.body.usage) expect(details !== undefined).toBe(/^gpt-image-2/.test(row.model ?? ''));
      if (row.field === 'response_format') expect(Object.keys(res.body.data[0])).toEqual([row.value]);
      return;
    }
    expect(res.body.error).toMatchObject({ type: row.type, param: row.param, code: row.code });
    if (typeof row.message === 'string') expect(res.body.error.message).toBe(row.message);
    else if (row.message) expect(res.body.error.message).toMatch(row.message);
    // 3840x2160 paints 8.3 million pixels: seconds on a loaded 2-core machine.
  }, 120_000);
});

/**
 * The rules table as data: every row is consistent with itself, and the lifecycle, size
 * and token rules give the reference's figures (which model a request asks for is
 * choose-model.test.ts's).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isIsoDate, isServedOn, NEWEST_TABLE_DATE, tableDates } from '../../../server/models/lifecycle';
import { PROFILE_DIFFERENCES, PROFILES, servedModels, modelUnder } from '../../../server/models/profiles';
import { findModelRules, GPT_ONLY_FIELDS, GPT_ONLY_QUALITIES, MODEL_RULES, type GptQuality } from '../../../server/models/rules';
import { sizeError } from '../../../server/models/sizes';
import { parseSize } from '../../../server/images/aspect';
import { gptImage2OutputTokens, outputTokensPerImage } from '../../../server/usage/count-output-tokens';

const rows = MODEL_RULES.map((rules) => [rules.id, rules] as const);

describe('every row of the rules table', () => {
  it('has a unique id', () => {
    expect(new Set(MODEL_RULES.map((r) => r.id)).size).toBe(MODEL_RULES.length);
  });

  it.each(rows)('%s takes its own defaults and auto sizes', (_id, rules) => {
    expect(sizeError(rules, rules.defaultSize)).toBeUndefined();
    for (const size of rules.autoSizes) expect(sizeError(rules, size)).toBeUndefined();
    expect(rules.qualities).toContain(rules.defaultQuality);
    if (rules.autoQuality !== 'standard') expect(rules.qualities).toContain(rules.autoQuality);
  });

  it.each(rows)('%s has real dates, released before shut down', (_id, rules) => {
    expect(isIsoDate(rules.released)).toBe(true);
    if (rules.shutdown !== null) {
      expect(isIsoDate(rules.shutdown)).toBe(true);
      expect(rules.released < rules.shutdown).toBe(true);
    }
    if (rules.transparentSince !== null) expect(rules.transparentSince >= rules.released).toBe(true);
  });

  it.each(rows)('%s is a snapshot of a row of the table, if a snapshot', (_id, rules) => {
    if (rules.snapshotOf !== null) expect(findModelRules(rules.snapshotOf)).toBeDefined();
  });

  it.each(rows.filter(([, r]) => r.tokens))('%s bills a positive number of tokens at every quality and auto size', (_id, rules) => {
    for (const quality of rules.qualities.filter((q) => q !== 'auto') as GptQuality[])
      for (const size of rules.autoSizes) {
        const { width, height } = parseSize(size);
        expect(outputTokensPerImage(rules.tokens!.output, quality, width, height)).toBeGreaterThan(0);
      }
  });

  it('knows every model the reference lists', () => {
    expect(MODEL_RULES.map((r) => r.id).sort()).toEqual(
      [
        'dall-e-2', 'gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5', 'gpt-image-1.5-2025-12-16', 'chatgpt-image-latest',
        'gpt-image-2', 'gpt-image-2-2026-04-21', 'gpt-image-2.5-flare', 'gpt-image-2.5-flare-2026-09-08',
        'gpt-image-2.5-sunburst', 'gpt-image-2.5-sunburst-2026-09-08', 'gpt-image-2.6-flare', 'gpt-image-2.6-sunburst',
      ].sort(),
    );
  });

  it('derives the GPT-only fields and qualities from the table', () => {
    expect(GPT_ONLY_FIELDS).toEqual(['background', 'output_format', 'output_compression', 'input_fidelity', 'stream', 'partial_images']);
    expect([...GPT_ONLY_QUALITIES].sort()).toEqual(['high', 'low', 'max', 'medium', 'xhigh']);
  });
});

describe('the lifecycle', () => {
  it('pins the default API date to the newest date of the table', () => {
    expect(NEWEST_TABLE_DATE).toBe('2026-12-01');
    expect(tableDates()).toContain('2026-08-20');
  });

  it.each([
    ['dall-e-2', '2026-05-11', true],
    ['dall-e-2', '2026-05-12', false],
    ['gpt-image-1', '2026-10-22', true],
    ['gpt-image-1', '2026-10-23', false],
    ['gpt-image-1.5', '2026-11-30', true],
    ['gpt-image-1.5', '2026-12-01', false],
    ['gpt-image-2', '2026-04-20', false],
    ['gpt-image-2', '2026-04-21', true],
    ['gpt-image-2.5-flare', '2026-09-07', false],
    ['gpt-image-2.5-flare', '2026-09-08', true],
    ['gpt-image-2.6-sunburst', '2026-12-01', true],
  ])('%s on %s: served %s', (id, date, served) => {
    expect(isServedOn(findModelRules(id)!, date)).toBe(served);
  });

  it.each([
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['2026-08-20', true],
  ])('%s is a date: %s', (text, ok) => {
    expect(isIsoDate(text)).toBe(ok);
  });
});

describe('the profiles', () => {
  it('document every rule they change', () => {
    expect(PROFILE_DIFFERENCES.map((d) => d.rule).sort()).toEqual(Object.keys(PROFILES.seed).sort());
  });

  it('serve every model under seed, and only the live ones under openai', () => {
    expect(servedModels('seed', '2026-12-01')).toHaveLength(MODEL_RULES.length);
    expect(servedModels('openai', NEWEST_TABLE_DATE).map((r) => r.id)).toEqual([
      'gpt-image-2', 'gpt-image-2-2026-04-21', 'gpt-image-2.5-flare', 'gpt-image-2.5-flare-2026-09-08',
      'gpt-image-2.5-sunburst', 'gpt-image-2.5-sunburst-2026-09-08', 'gpt-image-2.6-flare', 'gpt-image-2.6-sunburst',
    ]);
    expect(modelUnder('dall-e-2', 'openai', '2026-05-01')?.id).toBe('dall-e-2');
    expect(modelUnder('dall-e-2', 'openai', '2026-05-12')).toBeUndefined();
    expect(modelUnder('dall-e-2', 'seed', '2026-12-01')?.id).toBe('dall-e-2');
    expect(modelUnder('dall-e-3', 'seed', '2026-12-01')).toBeUndefined();
  });
});

describe('sizes', () => {
  const gpt2 = findModelRules('gpt-image-2')!;
  const gpt1 = findModelRules('gpt-image-1')!;
  it.each([
    ['1536x864', undefined],
    ['1024x640', undefined],
    ['3840x2160', undefined],
    ['2880x2880', undefined],
    ['3840x1280', undefined],
    ['auto', undefined],
    ['1000x1000', "Invalid size '1000x1000'. Width and height must both be divisible by 16."],
    ['9x9', "Invalid size '9x9'. Width and height must both be divisible by 16."],
    ['3840x1024', "Invalid size '3840x1024'. The aspect ratio must be between 1:3 and 3:1."],
    ['4096x2304', "Invalid size '4096x2304'. The longest edge must be at most 3840 pixels."],
    ['3840x2176', "Invalid size '3840x2176'. Requested resolution is above the current maximum pixel budget."],
    ['768x768', "Invalid size '768x768'. Requested resolution is below the current minimum pixel budget."],
    ['bogus', "Invalid size 'bogus'. Expected WIDTHxHEIGHT, for example '1824x1024'."],
    ['0x0', "Invalid size '0x0'. Expected WIDTHxHEIGHT, for example '1824x1024'."],
    ['1024X1024', "Invalid size '1024X1024'. Expected WIDTHxHEIGHT, for example '1824x1024'."],
  ])('gpt-image-2 size=%s -> %s', (size, message) => {
    const error = sizeError(gpt2, size);
    expect(error?.message).toBe(message);
    if (error) expect(error).toMatchObject({ status: 400, type: 'image_generation_user_error', param: 'size', code: 'invalid_value' });
  });

  it('keeps the fixed list and its live text for gpt-image-1', () => {
    expect(sizeError(gpt1, '1536x864')).toMatchObject({
      type: 'invalid_request_error',
      message: "Invalid value: '1536x864'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.",
    });
  });
});

describe('output tokens', () => {
  // models-2026.md §6.2: exact against every live and official figure found.
  it.each([
    [1024, 1024, 196, 1756, 7024],
    [1536, 1024, 158, 1372, 5488],
    [1024, 1536, 158, 1372, 5488],
    [1536, 864, 120, 1078, 4312],
    [1024, 640, 107, 956, 3824],
    [1280, 720, 106, 947, 3787],
    [896, 896, 180, 1615, 6458],
    [1920, 1088, 148, 1325, 5300],
    [2048, 1152, 157, 1413, 5650],
    [2048, 2048, 397, 3568, 14272],
    [2560, 1440, 205, 1843, 7370],
    [3840, 2160, 371, 3336, 13342],
    [2880, 2880, 659, 5930, 23719],
  ])('gpt-image-2 %dx%d: low %d, medium %d, high %d', (w, h, low, medium, high) => {
    expect([16, 48, 96].map((q) => gptImage2OutputTokens(q, w, h))).toEqual([low, medium, high]);
  });

  it('matches the calculator figures 5063 (1792x1024 high) and 12329 (3584x2048 high)', () => {
    expect(gptImage2OutputTokens(96, 1792, 1024)).toBe(5063);
    expect(gptImage2OutputTokens(96, 3584, 2048)).toBe(12329);
  });

  it('bills xhigh and max above high on 2.5 (the sandbox choice)', () => {
    const output = findModelRules('gpt-image-2.5-flare')!.tokens!.output;
    const [high, xhigh, max] = (['high', 'xhigh', 'max'] as const).map((q) => outputTokensPerImage(output, q, 1024, 1024) ?? 0) as [number, number, number];
    expect(high).toBe(7024);
    expect(xhigh).toBeGreaterThan(high);
    expect(max).toBeGreaterThan(xhigh);
  });

  it('reads gpt-image-1.5 from the gpt-image-1 table', () => {
    expect(outputTokensPerImage(findModelRules('gpt-image-1.5')!.tokens!.output, 'high', 1536, 1024)).toBe(6208);
  });
});

describe("the README's Profiles table", () => {
  it('is PROFILE_DIFFERENCES, row for row', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Profiles'), readme.indexOf('### Errors'));
    const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| what'));
    expect(rows).toEqual(PROFILE_DIFFERENCES.map((d) => `| ${d.what} | ${d.seed} | ${d.openai} |`));
  });
});

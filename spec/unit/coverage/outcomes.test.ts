/**
 * The outcome list is derived, not kept: from the rules table and profiles (families, answer
 * forms), the request schemas (url, stream, partial images), the scenarios and the catalogue.
 */
import { contractOutcomes, errorOutcomeId, scenarioOutcomeId, successOutcomeId } from '../../../server/coverage/outcomes';
import { CATALOGUE, GROUP_ROLES } from '../../../server/errors/catalogue';
import { NEWEST_TABLE_DATE } from '../../../server/models/lifecycle';
import { SCENARIO_NAMES } from '../../../server/scenarios/scenario-outcomes';
import { testContract } from '../../helpers/expect-to-match-spec';

const seed = contractOutcomes({ profile: 'seed', apiDate: NEWEST_TABLE_DATE }, testContract());
const openai = contractOutcomes({ profile: 'openai', apiDate: NEWEST_TABLE_DATE }, testContract());
const idsOf = (outcomes: typeof seed, kind: string) => outcomes.filter((o) => o.kind === kind).map((o) => o.id);

describe('the outcomes of the contract', () => {
  it('have unique ids, a description each, and come kind by kind', () => {
    for (const outcomes of [seed, openai]) {
      expect(new Set(outcomes.map((o) => o.id)).size).toBe(outcomes.length);
      for (const o of outcomes) expect(o.description.length).toBeGreaterThan(10);
      const kinds = outcomes.map((o) => o.kind);
      expect(kinds).toEqual([...kinds].sort((a, b) => ['success', 'stream-failure', 'scenario', 'error'].indexOf(a) - ['success', 'stream-failure', 'scenario', 'error'].indexOf(b)));
    }
  });

  it('answer every family in each form its models and the body form allow (seed profile)', () => {
    const partials = (form: string) => [0, 1, 2, 3].map((k) => `success:gpt-image:${form}:stream-${k}`);
    expect(idsOf(seed, 'success')).toEqual([
      'success:dall-e:multipart:b64_json',
      'success:dall-e:multipart:url',
      'success:gpt-image:multipart:b64_json',
      'success:gpt-image:multipart:url',
      ...partials('multipart'),
      // The JSON body form has no response_format: its images are always b64_json.
      'success:gpt-image:json:b64_json',
      ...partials('json'),
    ]);
    expect(seed.find((o) => o.id === successOutcomeId('gpt-image', 'json', 'stream', 3))).toMatchObject({ family: 'gpt-image', body_form: 'json', answer: 'stream', partial_images: 3 });
  });

  it('follow the profile: under openai no retired dall-e-2 and no url answers from GPT image models', () => {
    expect(idsOf(openai, 'success').filter((id) => id.includes('dall-e') || id.endsWith(':url'))).toEqual([]);
    expect(idsOf(openai, 'success')).toContain('success:gpt-image:multipart:stream-3');
  });

  it('take the largest partial_images from openapi.yaml', () => {
    const schemas = (testContract().document.components as { schemas: Record<string, { properties: { partial_images: { maximum: number } } }> }).schemas;
    const max = schemas.CreateImageEditRequest!.properties.partial_images.maximum;
    expect(Math.max(...seed.filter((o) => o.answer === 'stream').map((o) => o.partial_images!))).toBe(max);
  });

  it('list both mid-stream failures of each family that streams, naming the scenario that forces the error event', () => {
    expect(idsOf(seed, 'stream-failure')).toEqual(['stream-failure:gpt-image:error-event', 'stream-failure:gpt-image:client-left']);
    expect(seed.find((o) => o.failure === 'error-event')?.description).toContain('stream_error');
  });

  it('list every scenario but the mid-stream one, described by the error it answers with', () => {
    expect(idsOf(seed, 'scenario')).toEqual(SCENARIO_NAMES.filter((name) => name !== 'stream_error').map(scenarioOutcomeId));
    expect(seed.find((o) => o.id === 'scenario:rate_limit')).toMatchObject({ status: 429, type: 'requests', code: 'rate_limit_exceeded', param: null });
    expect(seed.find((o) => o.id === 'scenario:timeout')).toMatchObject({ status: null, type: null, code: null });
  });

  it('list every error of the api groups of the catalogue, and none of the transport, control or scenario groups', () => {
    const api = CATALOGUE.filter((entry) => GROUP_ROLES[entry.group] === 'api');
    expect(idsOf(seed, 'error')).toEqual(api.map((entry) => errorOutcomeId(entry.name)));
    for (const name of ['invalidUrl', 'requestBodyTooLarge', 'unknownScenario', 'adminTokenRequired', 'rateLimited', 'internal', 'stateUnavailable'])
      expect(idsOf(seed, 'error')).not.toContain(errorOutcomeId(name));
    expect(seed.find((o) => o.id === 'error:noSuchFile')).toMatchObject({ name: 'noSuchFile', group: 'files' });
  });
});

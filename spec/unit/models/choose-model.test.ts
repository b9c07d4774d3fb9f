/**
 * chooseModel: the model a request asks for, before validation: the one it names, else the
 * configured default, switched to a GPT image model when the request uses what only GPT image
 * models take. (How validate counts a form's images for it is validate.test.ts's.)
 */
import { chooseModel } from '../../../server/models/choose-model';

describe('chooseModel', () => {
  it.each([
    ['the model sent', { model: 'gpt-image-2' }, 1, false, 'dall-e-2', 'gpt-image-2'],
    ['the model sent even when no model has that name (validate refuses it)', { model: 'dall-e-3' }, 1, false, 'dall-e-2', 'dall-e-3'],
    ['the default model when none is sent', {}, 1, false, 'dall-e-2', 'dall-e-2'],
    ['the default model for stream=false, which any model takes', { stream: 'false' }, 1, false, 'dall-e-2', 'dall-e-2'],
    ['a GPT model for stream=true', { stream: 'true' }, 1, false, 'dall-e-2', 'gpt-image-1'],
    ['a GPT model for a GPT quality', { quality: 'low' }, 1, false, 'dall-e-2', 'gpt-image-1'],
    ['a GPT model for a quality only 2.5 and later take', { quality: 'xhigh' }, 1, false, 'dall-e-2', 'gpt-image-1'],
    ['the default model for quality=standard', { quality: 'standard' }, 1, false, 'dall-e-2', 'dall-e-2'],
    ['a GPT model for a GPT-only field', { background: 'opaque' }, 1, false, 'dall-e-2', 'gpt-image-1'],
    ['a GPT model for the JSON body, where a null field counts as not sent', { background: null }, 1, true, 'dall-e-2', 'gpt-image-1'],
    ['a GPT model for more than one image', {}, 2, false, 'dall-e-2', 'gpt-image-1'],
    ['a default that takes the fields already', { background: 'opaque' }, 1, false, 'gpt-image-2', 'gpt-image-2'],
  ])('picks %s', (_what, fields, imageCount, json, defaultModel, expected) => {
    expect(chooseModel({ fields, imageCount, json }, defaultModel)).toBe(expected);
  });
});

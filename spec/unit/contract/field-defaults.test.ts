import { fieldDefaults } from '../../../server/contract/field-defaults';
import { testContract } from '../../helpers/expect-to-match-spec';

describe('fieldDefaults reads the defaults from openapi.yaml', () => {
  it('gives the multipart form its model-independent defaults', () => {
    expect(fieldDefaults(testContract(), 'CreateImageEditRequest')).toEqual({
      background: 'auto',
      input_fidelity: 'low',
      n: 1,
      output_compression: 100,
      output_format: 'png',
      partial_images: 0,
      stream: false,
    });
  });

  it('gives the JSON form the same, plus moderation', () => {
    expect(fieldDefaults(testContract(), 'EditImageBodyJsonParam')).toEqual({ ...fieldDefaults(testContract(), 'CreateImageEditRequest'), moderation: 'auto' });
  });

  it('names a missing schema', () => {
    expect(() => fieldDefaults(testContract(), 'NoSuchSchema')).toThrow('NoSuchSchema');
  });
});

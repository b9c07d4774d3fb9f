/**
 * plain-numbers: which form text reads as a number the way the live API (a Python service)
 * reads it, and where a form body holds text the schema wants as a number that does not.
 * ajv's coercion alone reads anything JavaScript's `+text` does ('0x2' is 2).
 */
import { isPlainNumeral, looseNumerals } from '../../../server/contract/plain-numbers';
import { testContract } from '../../helpers/expect-to-match-spec';

describe('isPlainNumeral', () => {
  it.each(['2', '+2', '-1', '007', '10', ' 2 ', '\t3\n', '2.0', '2.00', '99999999999999999999'])('reads %j as an integer', (text) => {
    expect(isPlainNumeral(text, 'integer')).toBe(true);
  });

  it.each(['0x2', '0X2', '0b11', '0o3', '2.', '.2e1', '1e3', '2.5', '2.01', '', ' ', 'abc', 'Infinity', '-Infinity', 'NaN', '1_000', '+-1', '--1', '2 3', '٣'])(
    'does not read %j as an integer',
    (text) => {
      expect(isPlainNumeral(text, 'integer')).toBe(false);
    },
  );

  it.each(['2', '-2.5', '+0.5', '2.', '.5', '1e3', '1.5E-2', ' 2.5 '])('reads %j as a number', (text) => {
    expect(isPlainNumeral(text, 'number')).toBe(true);
  });

  it.each(['0x2', '0b11', '0o3', '', ' ', '.', 'e3', '1e', 'Infinity', 'NaN', 'abc', '1_0.5'])('does not read %j as a number', (text) => {
    expect(isPlainNumeral(text, 'number')).toBe(false);
  });
});

describe('looseNumerals', () => {
  const contract = testContract();
  const edits = { $ref: '#/components/schemas/CreateImageEditRequest' };
  const files = { $ref: '#/components/schemas/CreateFileRequest' };

  it('finds text in an integer field that is not a plain decimal, and leaves text fields alone', () => {
    const data = { prompt: '0x2', user: '0b11', size: '0o3', n: '0x2', output_compression: '50', partial_images: '.2e1' };
    expect(looseNumerals(data, edits, contract.document)).toEqual([
      { instancePath: '/n', type: 'integer' },
      { instancePath: '/partial_images', type: 'integer' },
    ]);
  });

  it('follows nested objects (a form body read with brackets)', () => {
    expect(looseNumerals({ purpose: 'vision', expires_after: { anchor: 'created_at', seconds: '0x1000' } }, files, contract.document)).toEqual([{ instancePath: '/expires_after/seconds', type: 'integer' }]);
    expect(looseNumerals({ purpose: 'vision', expires_after: { anchor: 'created_at', seconds: '3600' } }, files, contract.document)).toEqual([]);
  });

  it('judges only text: numbers a JSON body sends are the schema type check\'s', () => {
    expect(looseNumerals({ n: 2.5, prompt: 'x' }, edits, contract.document)).toEqual([]);
  });
});

import { maskApiKey, quoteList } from '../../../server/errors/catalogue';

describe('quoteList', () => {
  it.each([
    [['a'], "'a'"],
    [['a', 'b'], "'a' and 'b'"],
    [['a', 'b', 'c'], "'a', 'b', and 'c'"],
  ])('lists %j as %s', (values, text) => {
    expect(quoteList(values)).toBe(text);
  });
});

describe('maskApiKey', () => {
  it('keeps 8 characters, stars the middle and keeps the last 4', () => {
    expect(maskApiKey('sk-proj-abcdefghijklmnopqrstwxyz')).toBe('sk-proj-********************wxyz');
  });
  it('shows short keys as they are', () => {
    expect(maskApiKey('sk-short')).toBe('sk-short');
  });
});

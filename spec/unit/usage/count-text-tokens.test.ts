import { countTextTokens } from '../../../server/usage/count-text-tokens';

describe('text tokens', () => {
  it('counts with o200k_base', () => {
    expect(countTextTokens('hello world')).toBe(2);
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('在图片中添加一朵红色的玫瑰花')).toBeGreaterThan(3);
  });
});

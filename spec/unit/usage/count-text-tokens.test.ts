import { countTokens } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { countTextTokens } from '../../../server/usage/count-text-tokens';

describe('text tokens', () => {
  it('counts with o200k_base', () => {
    expect(countTextTokens('hello world')).toBe(2);
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('在图片中添加一朵红色的玫瑰花')).toBeGreaterThan(3);
  });

  it('counts prompts with spaces exactly as the tokenizer does', () => {
    for (const prompt of ['add a red rose in a glass vase '.repeat(900), 'add a rose 在图片中添加一朵红色的玫瑰花 '.repeat(300), `${'x'.repeat(128)} ${'y'.repeat(128)}`]) {
      expect(countTextTokens(prompt)).toBe(countTokens(prompt));
    }
  });

  it('counts a long run without spaces in pieces, off by at most a token per cut', () => {
    // Cut every 128 characters: 4000 characters of Chinese are 31 cuts.
    for (const prompt of ['玫瑰花在'.repeat(1000), 'a'.repeat(4000), `see ${'😀'.repeat(1000)} here`]) {
      const cuts = Math.ceil(Array.from(prompt).length / 128);
      expect(Math.abs(countTextTokens(prompt) - countTokens(prompt))).toBeLessThanOrEqual(cuts);
    }
  });

  it('never cuts a character in two (a lone surrogate half would count as extra tokens)', () => {
    // Each emoji is one token and two UTF-16 units: cuts by units would split some of them.
    const prompt = `a${'😀'.repeat(300)}`;
    expect(countTextTokens(prompt)).toBe(countTokens(prompt));
  });

  it('counts the longest prompt a model takes, 32,000 characters of one unbroken run, well within a test timeout', () => {
    // Whole, this took 5.6 s of one core; in pieces it is a few tens of milliseconds.
    expect(countTextTokens('玫瑰花在'.repeat(8000))).toBeGreaterThan(32_000);
  });
});

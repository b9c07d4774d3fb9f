/**
 * Every random choice comes from a seed derived by hashing, and a seeded generator that gives
 * the same numbers for the same seed anywhere.
 */
import { createHash } from 'node:crypto';
import { createRng, hashParts, imageSeed } from '../../../server/images/seed';

const draws = (seed: string, count = 5) => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.next());
};

describe('hashParts', () => {
  it('is the sha256 of the parts as JSON, so equal parts give equal seeds on every machine', () => {
    expect(hashParts(['sandbox', 1, null])).toBe(createHash('sha256').update('["sandbox",1,null]').digest('hex'));
  });

  it('tells apart parts that differ in order or in where they split', () => {
    expect(hashParts(['a', 'b'])).not.toBe(hashParts(['b', 'a']));
    expect(hashParts(['ab'])).not.toBe(hashParts(['a', 'b']));
  });
});

describe('imageSeed', () => {
  it('mixes the image index into the plan\'s seed', () => {
    const plan = 'f'.repeat(64);
    expect(imageSeed(plan, 0)).toBe(hashParts([plan, 0]));
    expect(new Set([0, 1, 2].map((index) => imageSeed(plan, index))).size).toBe(3);
  });
});

describe('createRng', () => {
  it('gives the same numbers for the same seed and other numbers for another', () => {
    expect(draws('a'.repeat(64))).toEqual(draws('a'.repeat(64)));
    expect(draws('b'.repeat(64))).not.toEqual(draws('a'.repeat(64)));
  });

  it('draws floats in [0, 1), integers in [min, max] reaching both ends, floats in [min, max)', () => {
    const rng = createRng(hashParts(['ranges']));
    const ints = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const next = rng.next();
      expect(next >= 0 && next < 1).toBe(true);
      const int = rng.int(5, 8);
      expect(Number.isInteger(int) && int >= 5 && int <= 8).toBe(true);
      ints.add(int);
      const float = rng.float(0.35, 0.65);
      expect(float >= 0.35 && float < 0.65).toBe(true);
    }
    expect([...ints].sort()).toEqual([5, 6, 7, 8]);
  });

  it('spreads its floats over the whole of [0, 1)', () => {
    const values = draws('f'.repeat(64), 2000);
    expect(Math.min(...values)).toBeLessThan(0.01);
    expect(Math.max(...values)).toBeGreaterThan(0.99);
  });
});

/**
 * Every random choice comes from a seed derived by hashing: the sandbox seed, the model, the
 * prompt, every upload's sha256 and every resolved parameter that changes pixels, then the
 * image index. The PRNG is faker's seeded Mersenne Twister: same seed, same numbers, anywhere.
 */
import { createHash } from 'node:crypto';

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  float(min: number, max: number): number;
}

/** A stable hex digest of the given parts (order matters). */
export function hashParts(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The per-image seed: the plan's seed with the image index mixed in. */
export function imageSeed(planSeed: string, index: number): string {
  return hashParts([planSeed, index]);
}

type RandomizerFactory = (seed: number) => { next(): number };
let generateRandomizer: RandomizerFactory | undefined;

/** @note faker is loaded on first use (~0.15 s), keeping start-up short. */
export function createRng(seedHex: string): Rng {
  generateRandomizer ??= (require('@faker-js/faker') as { generateMersenne53Randomizer: RandomizerFactory }).generateMersenne53Randomizer;
  const randomizer = generateRandomizer(parseInt(seedHex.slice(0, 12), 16));
  const next = () => randomizer.next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
  };
}

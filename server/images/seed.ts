/**
 * Every random choice comes from a seed derived by hashing: the sandbox seed, the model, the
 * prompt, every upload's sha256 and every resolved parameter that changes pixels, then the
 * image index. The numbers are SHA-256 in counter mode over that seed (node:crypto): same
 * seed, same numbers, anywhere. An image draws a few dozen, so a hash per five is cheap, and
 * no generator library sits in the heap (faker's Mersenne Twister cost 8.5 MB of it, which
 * every full garbage collection walked).
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

/** 48 bits a number: five numbers from each 32-byte digest. */
const BYTES_PER_NUMBER = 6;

export function createRng(seedHex: string): Rng {
  let block = 0;
  let digest = Buffer.alloc(0);
  let at = 0;
  const next = () => {
    if (at + BYTES_PER_NUMBER > digest.length) {
      digest = createHash('sha256').update(`${seedHex}:${block++}`).digest();
      at = 0;
    }
    const value = digest.readUIntBE(at, BYTES_PER_NUMBER) / 2 ** (BYTES_PER_NUMBER * 8);
    at += BYTES_PER_NUMBER;
    return value;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
  };
}

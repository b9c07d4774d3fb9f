/**
 * sharp (libvips) loaded on first use rather than at start: about 70 ms off the time from
 * `npm start` to a healthy sandbox, paid once by the first image instead.
 */
import type { Sharp, SharpInput, SharpOptions } from 'sharp';

type SharpFactory = (input?: SharpInput, options?: SharpOptions) => Sharp;
let loaded: SharpFactory | undefined;

export function sharp(input?: SharpInput, options?: SharpOptions): Sharp {
  loaded ??= require('sharp') as SharpFactory;
  return loaded(input, options);
}

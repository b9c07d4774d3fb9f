/**
 * sharp (libvips) loaded on first use rather than at start: about 70 ms off the time from
 * `npm start` to a healthy sandbox, paid once by the first image instead.
 */
import type { Sharp, SharpInput, SharpOptions } from 'sharp';

type SharpFactory = ((input?: SharpInput, options?: SharpOptions) => Sharp) & { cache(enabled: boolean): unknown };
let loaded: SharpFactory | undefined;

function load(): SharpFactory {
  const factory = require('sharp') as SharpFactory;
  // libvips' own operation cache would keep decoded uploads alive outside our byte bounds;
  // the sandbox's caches (fit, renders, bands) are the only ones, and they are bounded.
  factory.cache(false);
  return factory;
}

export function sharp(input?: SharpInput, options?: SharpOptions): Sharp {
  loaded ??= load();
  return loaded(input, options);
}

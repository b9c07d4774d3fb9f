/** size=auto picks the output size whose aspect ratio is nearest the first image's. */
import { nearestAspect, parseSize } from '../../../server/images/aspect';

describe('parseSize', () => {
  it('reads WIDTHxHEIGHT', () => {
    expect(parseSize('1536x1024')).toEqual({ width: 1536, height: 1024 });
  });
});

describe('nearestAspect', () => {
  const SIZES = ['1024x1024', '1024x1536', '1536x1024'] as const;

  it.each([
    [1000, 1000, '1024x1024'],
    [1500, 1000, '1536x1024'],
    [1000, 1500, '1024x1536'],
    // 1.22 is nearer 1 than 1.5 in log space.
    [1220, 1000, '1024x1024'],
    [1230, 1000, '1536x1024'],
    [10000, 1, '1536x1024'],
  ])('takes %dx%d to %s', (width, height, size) => {
    expect(nearestAspect(width, height, SIZES)).toBe(size);
  });

  it('keeps the earlier candidate on a tie', () => {
    expect(nearestAspect(1000, 1000, ['1024x1536', '1536x1024'])).toBe('1024x1536');
    expect(nearestAspect(1000, 1000, ['1536x1024', '1024x1536'])).toBe('1536x1024');
  });
});

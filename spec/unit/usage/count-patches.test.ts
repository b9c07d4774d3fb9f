import { countImagePatches } from '../../../server/usage/count-image-tokens';

describe('input patches of gpt-image-2 and later (the sandbox choice after the reference outline)', () => {
  it.each([
    [1024, 1024, 1024],
    [512, 512, 1024],
    [256, 256, 256],
    [1536, 1024, 1536],
    [2048, 2048, 1536],
    [1024, 256, 352],
    [3000, 100, 1536],
  ])('%dx%d -> %d patches', (w, h, patches) => {
    expect(countImagePatches(w, h)).toBe(patches);
  });
});

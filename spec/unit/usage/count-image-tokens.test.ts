import { countImagePatches, countImageTiles, countImageTokens, highFidelitySurcharge } from '../../../server/usage/count-image-tokens';

describe('input image tokens (tokens.md worked values)', () => {
  it.each([
    [1024, 1024, 1, 194],
    [1024, 1025, 1, 194],
    [1025, 1024, 1, 194],
    [512, 513, 2, 323],
    [1024, 1536, 2, 323],
    [1536, 1024, 2, 323],
    [2048, 2048, 1, 194],
    [4096, 3072, 2, 323],
    [256, 256, 1, 194],
  ])('%dx%d -> %d tiles, %d tokens', (w, h, tiles, tokens) => {
    expect(countImageTiles(w, h)).toBe(tiles);
    expect(countImageTokens(w, h)).toBe(tokens);
  });

  it('adds 4160 for a square first image and 6240 for an oblong one at high fidelity', () => {
    expect(highFidelitySurcharge(1024, 1024)).toBe(4160);
    expect(highFidelitySurcharge(1100, 1000)).toBe(4160);
    expect(highFidelitySurcharge(1536, 1024)).toBe(6240);
    expect(highFidelitySurcharge(512, 768)).toBe(6240);
  });
});

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

/** An edit follows its prompt: a colour the prompt names (English or Chinese) is the accent. */
import { namedColour, promptPalette } from '../../../server/images/prompt-palette';
import { createRng } from '../../../server/images/seed';

const RED = [220, 30, 45];

describe('namedColour', () => {
  it.each([
    ['add a red rose', RED],
    ['在图片中添加一朵红色的玫瑰花', RED],
    ['a Blue sky', [40, 90, 220]],
    ['a grey cat', [128, 128, 128]],
    ['a gray cat', [128, 128, 128]],
    ['a golden crown', [212, 175, 55]],
    ['紫色的花', [140, 60, 200]],
    // Whole words only: "tired" holds "red", "greenhouse" holds "green".
    ['a tired greenhouse', undefined],
    ['add a rose', undefined],
    // The first colour in the prompt wins, wherever it sits in the table.
    ['a blue vase beside a red rose', [40, 90, 220]],
    ['白色的猫和红色的花', [245, 245, 245]],
  ])('finds in %j the colour %j', (prompt, colour) => {
    expect(namedColour(prompt)).toEqual(colour);
  });
});

describe('promptPalette', () => {
  const seed = 'a'.repeat(64);

  it('makes the named colour the accent, and the backdrop from the seed', () => {
    const palette = promptPalette('add a red rose', createRng(seed));
    expect(palette.accent).toEqual(RED);
    expect(promptPalette('add a blue rose', createRng(seed))).toEqual({ ...palette, accent: [40, 90, 220] });
  });

  it('takes an accent from the seed when the prompt names no colour, the same for the same seed', () => {
    const a = promptPalette('add a rose', createRng(seed));
    expect(promptPalette('add a rose', createRng(seed))).toEqual(a);
    expect(promptPalette('add a rose', createRng('b'.repeat(64))).accent).not.toEqual(a.accent);
  });
});

/**
 * Colours derived from the prompt, so that an edit visibly follows it: a colour the prompt
 * names (English or Chinese, as the seed page's example asks for "红色的玫瑰花") becomes the
 * accent; the rest comes from the seeded generator.
 */
import type { Rng } from './seed';

export type Rgb = readonly [number, number, number];

const NAMED_COLOURS: ReadonlyArray<readonly [RegExp, Rgb]> = [
  [/\bred\b|红/i, [220, 30, 45]],
  [/\bpink\b|粉/i, [245, 120, 170]],
  [/\borange\b|橙|橘/i, [245, 140, 30]],
  [/\byellow\b|黄/i, [245, 210, 40]],
  [/\bgold(en)?\b|金/i, [212, 175, 55]],
  [/\bgreen\b|绿/i, [40, 170, 70]],
  [/\bcyan\b|\bteal\b|青/i, [30, 180, 190]],
  [/\bblue\b|蓝/i, [40, 90, 220]],
  [/\bpurple\b|\bviolet\b|紫/i, [140, 60, 200]],
  [/\bbrown\b|棕|褐/i, [130, 80, 40]],
  [/\bblack\b|黑/i, [20, 20, 24]],
  [/\bwhite\b|白/i, [245, 245, 245]],
  [/\bgr[ae]y\b|灰/i, [128, 128, 128]],
  [/\bsilver\b|银/i, [192, 192, 200]],
];

/** The colour the prompt names first (by position in the prompt, not in the table), if any. */
export function namedColour(prompt: string): Rgb | undefined {
  let first: { at: number; colour: Rgb } | undefined;
  for (const [pattern, colour] of NAMED_COLOURS) {
    const at = prompt.search(pattern);
    if (at >= 0 && (!first || at < first.at)) first = { at, colour };
  }
  return first?.colour;
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

export interface Palette {
  /** Two backdrop colours for the gradient. */
  readonly from: Rgb;
  readonly to: Rgb;
  /** The shapes' colour: the prompt's named colour, or a seeded one. */
  readonly accent: Rgb;
}

export function promptPalette(prompt: string, rng: Rng): Palette {
  const hue = rng.float(0, 360);
  return {
    from: hslToRgb(hue, 0.45, 0.62),
    to: hslToRgb((hue + rng.float(40, 140)) % 360, 0.5, 0.4),
    accent: namedColour(prompt) ?? hslToRgb((hue + 180) % 360, 0.75, 0.5),
  };
}

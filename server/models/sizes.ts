/**
 * Whether a model takes a requested `size`, and the live API's answer when it does not:
 * a fixed list (`Invalid value: …`), or gpt-image-2's free `WIDTHxHEIGHT` rules checked in
 * a fixed order (format, multiple of the step, aspect ratio, longest edge, pixel budget).
 * @see ../shared/reference/models-2026.md §3.1
 */
import { errors } from '../errors/catalogue';
import type { SandboxError } from '../errors/sandbox-error';
import type { ModelRules } from './rules';

/** `WIDTHxHEIGHT` with positive integer sides, no signs, spaces or leading zeros. */
const WXH = /^([1-9]\d{0,5})x([1-9]\d{0,5})$/;

export function parseWxH(size: string): { width: number; height: number } | undefined {
  const match = WXH.exec(size);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

/** The error for a size this model does not take, or undefined when it takes it. */
export function sizeError(rules: ModelRules, size: string): SandboxError | undefined {
  const rule = rules.sizes;
  if (rule.kind === 'fixed') return rule.values.includes(size) ? undefined : errors.invalidValue('size', size, rule.values);
  if (size === 'auto') return rule.auto ? undefined : errors.sizeNotWxH(size);
  const parsed = parseWxH(size);
  if (!parsed) return errors.sizeNotWxH(size);
  const { width, height } = parsed;
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  if (width % rule.step !== 0 || height % rule.step !== 0) return errors.sizeNotMultiple(size, rule.step);
  if (long > rule.maxRatio * short) return errors.sizeAspectRatio(size, rule.maxRatio);
  if (long > rule.maxEdge) return errors.sizeEdgeTooLong(size, rule.maxEdge);
  if (width * height > rule.maxPixels) return errors.sizeAbovePixelBudget(size);
  if (width * height < rule.minPixels) return errors.sizeBelowPixelBudget(size);
  return undefined;
}

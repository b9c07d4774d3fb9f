/** Aspect-ratio helpers shared by size=auto and the input-fidelity surcharge. */
import type { OutputSize } from '../models/rules';

export function parseSize(size: string): { width: number; height: number } {
  const [w, h] = size.split('x').map(Number);
  return { width: w ?? 0, height: h ?? 0 };
}

/** The candidate whose aspect ratio is nearest (in log space) to width:height; ties keep the earlier. */
export function nearestAspect(width: number, height: number, candidates: readonly OutputSize[]): OutputSize {
  const target = Math.log(width / height);
  let best = candidates[0]!;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const { width: w, height: h } = parseSize(candidate);
    const distance = Math.abs(Math.log(w / h) - target);
    if (distance < bestDistance - 1e-12) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

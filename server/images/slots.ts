/**
 * At most `count` tasks at once; the rest wait their turn, first come first served. Bounds how
 * many uploads libvips decodes together: with more decodes in flight than cores none finishes
 * sooner, and each holds its decoded pixels (a 21 MB upload is about 21 MB of them) meanwhile.
 */
export interface Slots {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function slots(count: number): Slots {
  let free = Math.max(1, count);
  const waiting: Array<() => void> = [];
  return {
    async run(task) {
      if (free > 0) free--;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else free++;
      }
    },
  };
}

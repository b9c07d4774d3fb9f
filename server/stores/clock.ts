/** Time comes in as an input: the system clock, or one frozen at SANDBOX_NOW. */
export interface Clock {
  /** Unix seconds, for `created` / `created_at`. */
  nowSeconds(): number;
}

export const systemClock: Clock = { nowSeconds: () => Math.floor(Date.now() / 1000) };

export function frozenClock(seconds: number): Clock {
  return { nowSeconds: () => seconds };
}

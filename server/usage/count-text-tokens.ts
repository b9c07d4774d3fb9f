/**
 * Prompt tokens with a real tokenizer: o200k_base (gpt-tokenizer), the encoding community cost
 * write-ups use for GPT image models. @see ../shared/reference/tokens.md §3
 * @note Loaded on first use: its ranks take ~0.4 s to load, which would otherwise delay start.
 */
type CountTokens = (text: string) => number;
let countTokens: CountTokens | undefined;

/** Counts of recent prompts: a repeated request is not tokenized again. Emptied when full. */
const counted = new Map<string, number>();
const MEMO_SIZE = 1024;

export function countTextTokens(prompt: string): number {
  const known = counted.get(prompt);
  if (known !== undefined) return known;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  countTokens ??= (require('gpt-tokenizer/cjs/encoding/o200k_base') as { countTokens: CountTokens }).countTokens;
  const count = countTokens(prompt);
  if (counted.size >= MEMO_SIZE) counted.clear();
  counted.set(prompt, count);
  return count;
}

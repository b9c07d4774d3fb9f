/**
 * Prompt tokens with a real tokenizer: o200k_base (gpt-tokenizer), the encoding community cost
 * write-ups use for GPT image models. @see ../shared/reference/tokens.md §3
 * @note Loaded on first use: its ranks take ~0.4 s to load, which would otherwise delay start.
 */
type CountTokens = (text: string) => number;
let countTokens: CountTokens | undefined;

export function countTextTokens(prompt: string): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  countTokens ??= (require('gpt-tokenizer/cjs/encoding/o200k_base') as { countTokens: CountTokens }).countTokens;
  return countTokens(prompt);
}

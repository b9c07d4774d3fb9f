/**
 * Prompt tokens with a real tokenizer: o200k_base (gpt-tokenizer), the encoding community cost
 * write-ups use for GPT image models. @see ../shared/reference/tokens.md §3
 * @note Loaded on first use: its ranks take ~0.4 s to load, which would otherwise delay start.
 */
type CountTokens = (text: string) => number;
let countTokens: CountTokens | undefined;

/**
 * BPE's merges take time quadratic in the length of one pre-tokenized piece, and a piece is a
 * run with no space in it: 32,000 characters of Chinese took 5.6 s, with every other client
 * of the process waiting. Runs longer than this are counted in pieces of this many characters;
 * each cut can change the count by a token or so (none for prompts with spaces every so often).
 */
const LONGEST_COUNTED_RUN = 128;
const LONG_RUN = new RegExp(`\\S{${LONGEST_COUNTED_RUN + 1},}`, 'gu');

/** Counts of recent prompts: a repeated request is not tokenized again. Emptied when full. */
const counted = new Map<string, number>();
const MEMO_SIZE = 1024;

export function countTextTokens(prompt: string): number {
  const known = counted.get(prompt);
  if (known !== undefined) return known;
  const count = countInPieces(prompt);
  if (counted.size >= MEMO_SIZE) counted.clear();
  counted.set(prompt, count);
  return count;
}

/** The prompt's count, with every run longer than LONGEST_COUNTED_RUN cut into pieces that long (whole characters). */
function countInPieces(prompt: string): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const count = (countTokens ??= (require('gpt-tokenizer/cjs/encoding/o200k_base') as { countTokens: CountTokens }).countTokens);
  let total = 0;
  let from = 0;
  for (const run of prompt.matchAll(LONG_RUN)) {
    let at = run.index;
    for (const piece of chunks(Array.from(run[0]), LONGEST_COUNTED_RUN).slice(0, -1)) {
      at += piece.length;
      total += count(prompt.slice(from, at));
      from = at;
    }
  }
  return total + count(prompt.slice(from));
}

/** Consecutive pieces of `size` characters (the last may be shorter), each as a string. */
function chunks(characters: string[], size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < characters.length; i += size) pieces.push(characters.slice(i, i + size).join(''));
  return pieces;
}

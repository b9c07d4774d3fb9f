/**
 * Which model a request asks for: the one it names, else the configured default, switched
 * to a GPT image model when the request uses what only GPT image models take (a GPT-only
 * field or quality, several images, the JSON body), as the 2025 docs describe.
 * @see ../shared/reference/models.md §3
 */
import { GPT_DEFAULT_MODEL, GPT_ONLY_FIELDS, GPT_ONLY_QUALITIES, findModelRules } from './rules';

export interface ModelRequest {
  /** The fields as sent (multipart text or JSON values); null counts as not sent. */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly imageCount: number;
  /** The JSON body form takes GPT image models only. */
  readonly json: boolean;
}

function sent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** The model name the request asks for (named, or defaulted); validation decides whether it exists. */
export function chooseModel(request: ModelRequest, defaultModel: string): string {
  const { fields } = request;
  if (typeof fields.model === 'string') return fields.model;
  const usesGptOnly =
    request.json ||
    request.imageCount > 1 ||
    GPT_ONLY_QUALITIES.includes(String(fields.quality)) ||
    GPT_ONLY_FIELDS.some((field) => sent(fields[field]) && !(field === 'stream' && String(fields[field]) === 'false'));
  return usesGptOnly && findModelRules(defaultModel)?.family === 'dall-e' ? GPT_DEFAULT_MODEL : defaultModel;
}

/**
 * What the journal keeps of an answer the sandbox did not generate (an upstream's, a
 * cassette's): its images, its usage and its error, read from the body as it came. Only what
 * fits the journal's own schema is kept: a usage openapi.yaml would refuse is left out (its
 * violations say why).
 */
import type { Contract } from '../contract/spec';
import type { JournalError, JournalRecord } from '../stores/journal-record';
import { readEvents } from '../streaming/parse-sse';

export interface AnswerSummary {
  readonly images: Buffer[];
  readonly usage: JournalRecord['usage'];
  readonly error: Omit<JournalError, 'status'> | null;
}

const EMPTY: AnswerSummary = { images: [], usage: null, error: null };

function parsed(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const image = (value: unknown) => (typeof value === 'string' && value.length > 0 ? [Buffer.from(value, 'base64')] : []);
const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

function errorOf(value: unknown): AnswerSummary['error'] {
  if (value === null || typeof value !== 'object') return null;
  const error = value as Record<string, unknown>;
  if (typeof error.message !== 'string') return null;
  return { message: error.message, type: textOrNull(error.type) ?? '', param: textOrNull(error.param), code: textOrNull(error.code) };
}

export function summarizeAnswer(contract: Contract, mediaType: string, body: Buffer): AnswerSummary {
  const usageOf = (value: unknown): AnswerSummary['usage'] => (value !== undefined && contract.validator('/components/schemas/ImageGenUsage')(value) ? (value as AnswerSummary['usage']) : null);
  if (mediaType === 'application/json') {
    const json = parsed(body.toString('utf8'));
    if (!json) return EMPTY;
    const data = Array.isArray(json.data) ? (json.data as unknown[]) : [];
    return { images: data.flatMap((item) => image((item as { b64_json?: unknown } | null)?.b64_json)), usage: usageOf(json.usage), error: errorOf(json.error) };
  }
  if (mediaType === 'text/event-stream') {
    const events = readEvents(body.toString('utf8')).map((event) => parsed(event.data) ?? {});
    const completed = events.find((event) => event.type === 'image_edit.completed');
    const failed = events.find((event) => event.type === 'error');
    return { images: image(completed?.b64_json), usage: usageOf(completed?.usage), error: errorOf(failed?.error) };
  }
  return EMPTY;
}

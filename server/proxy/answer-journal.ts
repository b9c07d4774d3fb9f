/**
 * What the proxy and replay share about an answer they give: the journal record it goes in
 * (an edit's, opened by the receive step; a Files call's, opened here) and the body it
 * records as received, the query string as sent, and the header that names the cassette
 * exchange.
 */
import type { Request, Response } from 'express';
import type { ReadRequest } from '../edits/answer-source';
import { JournalRecorder } from '../edits/journal-recorder';
import type { Logger } from '../logger';
import type { Stores } from '../stores/create-stores';
import { readEvents } from '../streaming/parse-sse';

/** @see openapi.yaml#/components/headers/SandboxExchange */
export const EXCHANGE_HEADER = 'x-sandbox-exchange';

/** `/v1/files?limit=2` -> `limit=2`. */
export function queryOf(originalUrl: string): string {
  const at = originalUrl.indexOf('?');
  return at < 0 ? '' : originalUrl.slice(at + 1);
}

/** The request's journal record: an edit's own, or one opened now for a Files call (with its form). */
export async function journalFor(req: Request, res: Response, request: ReadRequest, deps: { stores: Stores; logger: Logger }): Promise<JournalRecorder> {
  if (request.journal) return request.journal;
  const journal = await JournalRecorder.open(req, res, deps.stores.state.journal, request.namespace, (err) => deps.logger.error('could not record a request in the journal', err));
  if (request.form) journal.recordForm(request.form);
  return journal;
}

/** A whole answer's body as the client receives it, for the journal's `response`: a JSON body, or each event of a stream. */
export function recordReceivedBody(journal: JournalRecorder, mediaType: string, body: Buffer): void {
  const text = body.toString('utf8');
  if (mediaType === 'text/event-stream') {
    for (const event of readEvents(text)) journal.recordForeignEvent(event);
    return;
  }
  if (mediaType !== 'application/json') return;
  try {
    journal.recordForeignBody(JSON.parse(text) as unknown);
  } catch {
    // Not JSON: the journal's response keeps no body (the violations say why).
  }
}

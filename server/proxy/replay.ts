/**
 * Replay (SANDBOX_REPLAY_DIR): an edit or Files call, once read and its controls applied, is
 * answered from the cassette's exchange with the same replay key (replay-key.ts; the first
 * one recorded when several share it): the recorded status, headers and body, byte for byte,
 * with the violations found when it was recorded. A request the cassette has no exchange for
 * is the 404 `replay_miss`, or with SANDBOX_REPLAY_MISS=generate answered by the sandbox.
 */
import type { Request, Response } from 'express';
import { mediaTypeOf } from '../contract/operations';
import { VIOLATIONS_HEADER, violationsHeaderValue } from '../contract/violations';
import type { AnswerSource, ReadRequest } from '../edits/answer-source';
import { errors } from '../errors/catalogue';
import { summarizeAnswer } from './answer-summary';
import { EXCHANGE_HEADER, journalFor, queryOf, recordReceivedBody } from './answer-journal';
import { readCassette, recordedResponseBody, type CassetteEntry } from './cassette-reader';
import { replayKey } from './replay-key';
import type { ProxyDeps } from './upstream-proxy';

/** @throws CassetteError when the cassette cannot be read (at start, not at the first request). */
export function cassetteReplay(deps: ProxyDeps, dir: string, miss: 'error' | 'generate'): AnswerSource {
  const { contract } = deps;
  const byKey = new Map<string, CassetteEntry>();
  for (const entry of readCassette(dir, contract)) if (!byKey.has(entry.exchange.key)) byKey.set(entry.exchange.key, entry);

  const answer = async (req: Request, res: Response, request: ReadRequest): Promise<boolean> => {
    const key = replayKey({ method: req.method, path: req.path, query: queryOf(req.originalUrl), form: request.form });
    const entry = byKey.get(key);
    if (!entry) {
      if (miss === 'generate') return false;
      throw errors.replayMiss(req.method, req.path, key);
    }
    let body: Buffer;
    try {
      body = recordedResponseBody(entry);
    } catch (err) {
      throw errors.cassetteUnreadable(entry.name, err instanceof Error ? err.message : String(err));
    }
    const { status, headers } = entry.exchange.response;
    const journal = await journalFor(req, res, request, deps);
    journal.recordSource('cassette', entry.name);
    journal.recordViolations(entry.exchange.violations);
    const mediaType = mediaTypeOf(headers['content-type']);
    recordReceivedBody(journal, mediaType, body);
    journal.recordForeignAnswer({ ...summarizeAnswer(contract, mediaType, body), status });
    res.status(status);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const headerValue = violationsHeaderValue(entry.exchange.violations);
    if (headerValue) res.setHeader(VIOLATIONS_HEADER, headerValue);
    res.setHeader(EXCHANGE_HEADER, entry.name);
    res.end(body);
    return true;
  };

  return { captureBody: undefined, answer };
}

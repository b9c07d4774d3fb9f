/**
 * The recording proxy (SANDBOX_UPSTREAM): an edit or Files call, once read and its controls
 * applied, is forwarded to the upstream with the client's own headers and key (never kept:
 * the journal and the cassette hold it redacted, nothing logs it), and the answer is passed
 * back as it came. Both are checked against openapi.yaml on the way (violations in
 * `x-sandbox-violations` and the journal entry), and with SANDBOX_RECORD_DIR the exchange is
 * written to the cassette before the answer ends. A stream is passed on chunk by chunk as it
 * arrives, each event checked as it completes. Nothing but the upstream is ever contacted.
 */
import type { Request, Response } from 'express';
import type { SandboxConfig } from '../config';
import { findOperation, mediaTypeOf } from '../contract/operations';
import type { Contract } from '../contract/spec';
import { checkEvent, checkJsonBody, checkRequest, checkResponseHead, undocumentedOperation, VIOLATIONS_HEADER, violationsHeaderValue, type Violation } from '../contract/violations';
import type { AnswerSource, ReadRequest } from '../edits/answer-source';
import { FILE_PLACEHOLDER } from '../edits/schema-errors';
import type { ParsedForm } from '../edits/types';
import { errors } from '../errors/catalogue';
import type { SandboxError } from '../errors/sandbox-error';
import type { Logger } from '../logger';
import { errorEvent, formatEvent } from '../streaming/sse';
import { eventReader } from '../streaming/parse-sse';
import type { Stores } from '../stores/create-stores';
import { summarizeAnswer } from './answer-summary';
import { captureBody, capturedBodyOf } from './capture-body';
import { EXCHANGE_HEADER, journalFor, queryOf, recordReceivedBody } from './answer-journal';
import type { CassetteWriter } from './cassette-writer';
import { replayKey } from './replay-key';

export interface ProxyDeps {
  readonly config: SandboxConfig;
  readonly contract: Contract;
  readonly stores: Stores;
  readonly logger: Logger;
}

/** Headers that belong to one connection, or that the sandbox sets itself, never passed along. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect', 'http2-settings']);

/** The client's headers for the upstream: its key and everything else, but the `x-sandbox-*` controls. */
function forwardedHeaders(req: Request): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name.startsWith('x-sandbox-') || name === 'accept-encoding') continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  // Bodies are checked and recorded as sent: ask for them uncompressed.
  headers.set('accept-encoding', 'identity');
  return headers;
}

/** The upstream's headers for the client; the body is passed on decoded, so its encoding and length are not. */
function relayHeaders(from: globalThis.Headers, res: Response): void {
  from.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'content-encoding' && name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = from.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
}

/** The data the request schema sees: a JSON body as sent, a form's fields with its files as placeholders. */
function requestData(req: Request, form: ParsedForm | undefined): unknown {
  if (!form) return undefined;
  if (form.bodyForm === 'json') return req.body as unknown;
  const data: Record<string, unknown> = { ...form.fields };
  if (form.images.length > 0) data.image = form.imageIsArray ? form.images.map(() => FILE_PLACEHOLDER) : FILE_PLACEHOLDER;
  if (form.masks.length > 0) data.mask = form.masks.length > 1 ? form.masks.map(() => FILE_PLACEHOLDER) : FILE_PLACEHOLDER;
  for (const file of form.otherFiles) data[file.field.replace(/\[\]$/, '')] = FILE_PLACEHOLDER;
  return data;
}

/** Why fetch failed, in a few words (undici hides the socket's error in `cause`). */
function failure(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** Resolves once the socket took what was written, or the client left. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

export function upstreamProxy(deps: ProxyDeps, upstream: string, writer: CassetteWriter | undefined, maxBodyBytes: number): AnswerSource {
  const { contract, logger } = deps;
  const origin = new URL(upstream).origin;

  /** The answer's own headers, the upstream's, and what the sandbox adds. */
  const writeHead = (res: Response, answered: globalThis.Response, violations: readonly Violation[], name: string | undefined) => {
    res.status(answered.status);
    relayHeaders(answered.headers, res);
    const headerValue = violationsHeaderValue(violations);
    if (headerValue) res.setHeader(VIOLATIONS_HEADER, headerValue);
    if (name) res.setHeader(EXCHANGE_HEADER, name);
  };

  /** Writes the exchange before the answer ends: once a client has its answer, the exchange is on disk. */
  const record = async (name: string | undefined, recording: Parameters<CassetteWriter['write']>[1]) => {
    if (!writer || !name) return;
    await writer.write(name, recording, new Date()).catch((err: unknown) => logger.error(`could not record exchange ${name} in ${writer.dir}`, err));
  };

  const answer = async (req: Request, res: Response, request: ReadRequest): Promise<boolean> => {
    const body = capturedBodyOf(res);
    if (body === null) throw errors.requestBodyTooLarge(maxBodyBytes);
    const journal = await journalFor(req, res, request, deps);
    const query = queryOf(req.originalUrl);
    const name = writer?.reserve(req.method, req.path);
    journal.recordSource('upstream', name ?? null);

    const operation = findOperation(contract.document, req.method, req.path);
    const violations: Violation[] = operation
      ? checkRequest(contract, operation, { query: req.query as Record<string, unknown>, contentType: req.get('content-type'), body: requestData(req, request.form) })
      : [undocumentedOperation(req.method, req.path)];
    const target = `${upstream}${req.originalUrl.replace(/^\/v1(?=[/?]|$)/, '')}`;
    // Only /v1 routes come here, so the target is always under the upstream: checked all the same.
    if (new URL(target).origin !== origin) throw errors.internal();

    const aborted = new AbortController();
    res.once('close', () => aborted.abort());
    const sendsBody = req.method !== 'GET' && req.method !== 'HEAD' && body.length > 0;
    let answered: globalThis.Response;
    try {
      answered = await fetch(target, { method: req.method, headers: forwardedHeaders(req), redirect: 'manual', signal: aborted.signal, ...(sendsBody ? { body } : {}) });
    } catch (err) {
      journal.recordViolations(violations);
      if (res.destroyed) return true;
      throw errors.upstreamUnreachable(upstream, failure(err));
    }

    const head = operation ? checkResponseHead(contract, operation, answered.status, answered.headers) : { violations: [], bodyPointer: undefined };
    violations.push(...head.violations);
    const mediaType = mediaTypeOf(answered.headers.get('content-type'));
    const finish = async (responseBody: Buffer) => {
      journal.recordViolations(violations);
      journal.recordForeignAnswer({ ...summarizeAnswer(contract, mediaType, responseBody), status: answered.status });
      await record(name, { key: replayKey({ method: req.method, path: req.path, query, form: request.form }), request: { method: req.method, path: req.path, query, headers: req.headers, body }, response: { status: answered.status, headers: answered.headers, body: responseBody }, violations });
    };

    if (mediaType === 'text/event-stream' && answered.body) {
      const pointer = head.bodyPointer;
      writeHead(res, answered, violations, name);
      res.flushHeaders();
      let index = 0;
      const events = eventReader((event) => {
        journal.recordForeignEvent(event);
        if (pointer) violations.push(...checkEvent(contract, pointer, event, index));
        index++;
      });
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of answered.body as unknown as AsyncIterable<Uint8Array>) {
          const bytes = Buffer.from(chunk);
          chunks.push(bytes);
          // Passed on first, checked after: the client never waits for the check.
          if (!res.write(bytes)) await drained(res);
          events.push(bytes);
        }
      } catch (err) {
        journal.recordViolations(violations);
        if (res.destroyed) return true;
        // The status went out with the headers: the stream ends with an error event, and the
        // error middleware (which sees the headers sent) records the outcome and closes it.
        const broke: SandboxError = errors.upstreamUnreachable(upstream, `the stream broke off: ${failure(err)}`);
        res.write(formatEvent(errorEvent(broke, res.locals.requestId)));
        throw broke;
      }
      await finish(Buffer.concat(chunks));
      res.end();
      return true;
    }

    let responseBody: Buffer;
    try {
      responseBody = Buffer.from(await answered.arrayBuffer());
    } catch (err) {
      journal.recordViolations(violations);
      if (res.destroyed) return true;
      throw errors.upstreamUnreachable(upstream, `the answer broke off: ${failure(err)}`);
    }
    if (head.bodyPointer && mediaType === 'application/json') violations.push(...checkJsonBody(contract, head.bodyPointer, responseBody.toString('utf8')));
    await finish(responseBody);
    recordReceivedBody(journal, mediaType, responseBody);
    writeHead(res, answered, violations, name);
    res.end(responseBody);
    return true;
  };

  return { captureBody: captureBody(maxBodyBytes), answer };
}

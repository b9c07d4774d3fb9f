/**
 * Records forwarded exchanges into a cassette directory (SANDBOX_RECORD_DIR). Each exchange
 * gets its folder's name when it is forwarded (so the numbers keep the order requests were
 * sent in, and the answer's `x-sandbox-exchange` can name it at once), and is written whole
 * into a hidden folder that is then renamed: a reader never sees half an exchange.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import type { Violation } from '../contract/violations';
import { storeBody } from './cassette-bodies';
import { CASSETTE_VERSION, CassetteError, EXCHANGE_FILE, exchangeName, keptRequestHeaders, keptResponseHeaders, sequenceOf, type CassetteExchange } from './cassette';

/** One exchange as it passed through the proxy: the bytes as sent both ways. */
export interface ExchangeRecording {
  readonly key: string;
  readonly request: { readonly method: string; readonly path: string; readonly query: string; readonly headers: IncomingHttpHeaders; readonly body: Buffer };
  readonly response: { readonly status: number; readonly headers: Headers; readonly body: Buffer };
  readonly violations: readonly Violation[];
}

export class CassetteWriter {
  private constructor(
    readonly dir: string,
    private nextSequence: number,
  ) {}

  /** Opens the directory (created when missing); numbering goes on after the exchanges already there. */
  static open(dir: string): CassetteWriter {
    const resolved = path.resolve(dir);
    try {
      fs.mkdirSync(resolved, { recursive: true });
      const last = Math.max(0, ...fs.readdirSync(resolved).map((name) => sequenceOf(name) ?? 0));
      fs.accessSync(resolved, fs.constants.W_OK);
      return new CassetteWriter(resolved, last + 1);
    } catch (err) {
      throw new CassetteError(`cannot record into ${resolved}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The folder name of the next exchange. */
  reserve(method: string, urlPath: string): string {
    return exchangeName(this.nextSequence++, method, urlPath);
  }

  /** Writes the exchange under its reserved name. @throws when the disk refuses (the caller logs it). */
  async write(name: string, recording: ExchangeRecording, recordedAt: Date): Promise<void> {
    const { request, response } = recording;
    const requestBody = await storeBody('request', request.body, request.headers['content-type']);
    const responseBody = await storeBody('response', response.body, response.headers.get('content-type') ?? undefined);
    const exchange: CassetteExchange = {
      version: CASSETTE_VERSION,
      key: recording.key,
      recorded_at: recordedAt.toISOString(),
      request: { method: request.method, path: request.path, query: request.query, headers: keptRequestHeaders(request.headers), body: requestBody.description },
      response: { status: response.status, headers: keptResponseHeaders(response.headers), body: responseBody.description },
      violations: [...recording.violations],
    };
    const partial = path.join(this.dir, `.${name}.${randomBytes(4).toString('hex')}.partial`);
    await fs.promises.mkdir(partial);
    try {
      for (const [file, bytes] of [...requestBody.files, ...responseBody.files]) await fs.promises.writeFile(path.join(partial, file), bytes);
      await fs.promises.writeFile(path.join(partial, EXCHANGE_FILE), `${JSON.stringify(exchange, null, 2)}\n`);
      await fs.promises.rename(partial, path.join(this.dir, name));
    } catch (err) {
      await fs.promises.rm(partial, { recursive: true, force: true });
      throw err;
    }
  }
}

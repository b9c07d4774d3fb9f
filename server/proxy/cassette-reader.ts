/**
 * Reads a cassette directory (SANDBOX_REPLAY_DIR, the drift command's DIR): every exchange
 * folder, its `exchange.json` checked against openapi.yaml's CassetteExchange and every file
 * it names present. Whatever is wrong is a CassetteError naming the folder or file and the
 * problem, found when the cassette is opened rather than when a request needs it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Contract } from '../contract/spec';
import { restoreBody, type CassetteBody } from './cassette-bodies';
import { CassetteError, EXCHANGE_FILE, sequenceOf, type CassetteExchange } from './cassette';

export interface CassetteEntry {
  /** The folder's name (`0003-post-images-edits`). */
  readonly name: string;
  readonly folder: string;
  readonly exchange: CassetteExchange;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The files a body names. */
function filesOf(body: CassetteBody): string[] {
  if (body === null) return [];
  if ('parts' in body) return body.parts.flatMap((part) => (part.file === undefined ? [] : [part.file]));
  return [body.file, ...body.images];
}

function readEntry(dir: string, name: string, contract: Contract): CassetteEntry {
  const folder = path.join(dir, name);
  const file = path.join(name, EXCHANGE_FILE);
  let text: string;
  try {
    text = fs.readFileSync(path.join(folder, EXCHANGE_FILE), 'utf8');
  } catch (err) {
    throw new CassetteError(`${file} cannot be read (${reason(err)})`);
  }
  let exchange: unknown;
  try {
    exchange = JSON.parse(text);
  } catch (err) {
    throw new CassetteError(`${file} is not JSON (${reason(err)})`);
  }
  const validate = contract.validator('/components/schemas/CassetteExchange');
  if (!validate(exchange)) {
    const first = validate.errors?.[0];
    throw new CassetteError(`${file} is not a recorded exchange: ${first ? `${first.instancePath || '(the document)'} ${first.message ?? 'is invalid'}` : 'it does not fit CassetteExchange'}`);
  }
  const checked = exchange as CassetteExchange;
  for (const named of [...filesOf(checked.request.body), ...filesOf(checked.response.body)])
    if (!fs.existsSync(path.join(folder, named))) throw new CassetteError(`${path.join(name, named)} is missing (${file} names it)`);
  return { name, folder, exchange: checked };
}

/** Every exchange of the cassette, in recorded order. @throws CassetteError */
export function readCassette(dir: string, contract: Contract): CassetteEntry[] {
  const resolved = path.resolve(dir);
  let names: string[];
  try {
    if (!fs.statSync(resolved).isDirectory()) throw new Error('not a directory');
    names = fs.readdirSync(resolved);
  } catch (err) {
    throw new CassetteError(`${resolved} is not a cassette directory (${reason(err)})`);
  }
  const exchanges = names.filter((name) => sequenceOf(name) !== undefined).sort((a, b) => sequenceOf(a)! - sequenceOf(b)! || a.localeCompare(b));
  if (exchanges.length === 0) throw new CassetteError(`${resolved} holds no recorded exchange (folders such as 0001-post-images-edits with an ${EXCHANGE_FILE})`);
  return exchanges.map((name) => readEntry(resolved, name, contract));
}

/** A file of the exchange's folder. @throws CassetteError */
export function readExchangeFile(entry: CassetteEntry, name: string): Buffer {
  try {
    return fs.readFileSync(path.join(entry.folder, name));
  } catch (err) {
    throw new CassetteError(`${path.join(entry.name, name)} cannot be read (${reason(err)})`);
  }
}

/** The recorded answer's body, byte for byte as the upstream sent it. @throws CassetteError */
export function recordedResponseBody(entry: CassetteEntry): Buffer {
  const body = entry.exchange.response.body;
  if (body === null) return Buffer.alloc(0);
  if ('parts' in body) throw new CassetteError(`${path.join(entry.name, EXCHANGE_FILE)}: a response body cannot be a multipart form`);
  return restoreBody(body, (name) => readExchangeFile(entry, name));
}

/**
 * A recorded request sent again, to the sandbox: its method, path and query, its body rebuilt
 * from the cassette (a form part by part with its files, any other body byte for byte), with
 * a key of the drift check's own. File ids the recording got from the upstream are replaced
 * by the ones the sandbox gave for the same uploads, so a session that uploads a file and then
 * edits it by `file_id` replays as one.
 */
import type { CassetteBody } from '../proxy/cassette-bodies';
import { restoreBody } from '../proxy/cassette-bodies';
import { readExchangeFile, type CassetteEntry } from '../proxy/cassette-reader';

/** The key the drift check sends (the sandbox it runs accepts any). */
export const DRIFT_KEY = 'sk-drift-check-0000';

/** Recorded file id -> the sandbox's id for the same upload. */
export type IdMap = Map<string, string>;

function swapIds(text: string, ids: IdMap): string {
  let swapped = text;
  for (const [recorded, fresh] of ids) swapped = swapped.split(recorded).join(fresh);
  return swapped;
}

function bodyOf(entry: CassetteEntry, body: CassetteBody, ids: IdMap): { body: FormData | Buffer | undefined; contentType: string | undefined } {
  if (body === null) return { body: undefined, contentType: undefined };
  if ('parts' in body) {
    const form = new FormData();
    for (const part of body.parts) {
      if (part.file === undefined) form.append(part.name, swapIds(part.value ?? '', ids));
      else form.append(part.name, new Blob([readExchangeFile(entry, part.file)], { type: part.content_type ?? '' }), part.filename ?? 'file');
    }
    // fetch writes the form with a boundary of its own.
    return { body: form, contentType: undefined };
  }
  const bytes = restoreBody(body, (name) => readExchangeFile(entry, name));
  const contentType = entry.exchange.request.headers['content-type'];
  return { body: ids.size > 0 && /json/i.test(contentType ?? '') ? Buffer.from(swapIds(bytes.toString('utf8'), ids)) : bytes, contentType };
}

/** The recorded request as a fetch to `base` (the sandbox's url). @throws CassetteError */
export function rebuildRequest(entry: CassetteEntry, base: string, ids: IdMap): { url: string; init: RequestInit } {
  const { method, path, query, headers } = entry.exchange.request;
  const { body, contentType } = bodyOf(entry, entry.exchange.request.body, ids);
  const sent = new Headers({ authorization: `Bearer ${DRIFT_KEY}` });
  if (contentType) sent.set('content-type', contentType);
  if (headers['user-agent']) sent.set('user-agent', headers['user-agent']);
  const url = `${base}${swapIds(path, ids)}${query ? `?${swapIds(query, ids)}` : ''}`;
  return { url, init: { method, headers: sent, ...(body === undefined ? {} : { body }) } };
}

/** After an answer: the file id the sandbox gave where the recording has the upstream's. */
export function learnIds(recorded: Buffer, sandbox: Buffer, ids: IdMap): void {
  const idOf = (bytes: Buffer): string | undefined => {
    try {
      const id = (JSON.parse(bytes.toString('utf8')) as { id?: unknown; object?: unknown }).id;
      return typeof id === 'string' && /^file-/.test(id) ? id : undefined;
    } catch {
      return undefined;
    }
  };
  const was = idOf(recorded);
  const is = idOf(sandbox);
  if (was !== undefined && is !== undefined && was !== is) ids.set(was, is);
}

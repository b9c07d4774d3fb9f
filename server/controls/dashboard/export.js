// The entries the list shows, saved as a file: JSON (the journal's own entries) or HAR 1.2
// (for tools that read browser network logs). Images stay references to the sandbox's urls.

const pairs = (object) => Object.entries(object || {}).filter(([, value]) => value !== null && value !== undefined).map(([name, value]) => ({ name, value: String(value) }));

/** A stream's events as the SSE text the client read (each image a reference, not base64). */
function eventStreamText(events) {
  return events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join('');
}

function harPostData(entry) {
  const mimeType = String(entry.headers['content-type'] || 'multipart/form-data');
  if (mimeType.toLowerCase().startsWith('application/json')) return { mimeType, text: JSON.stringify(entry.fields) };
  const params = pairs(entry.fields).map(({ name, value }) => ({ name, value: typeof entry.fields[name] === 'string' ? entry.fields[name] : value }));
  for (const file of [...entry.files, ...(entry.mask ? [entry.mask] : [])]) params.push({ name: file.field, fileName: file.filename, contentType: file.content_type });
  return { mimeType, params };
}

function harResponse(entry) {
  const response = entry.response;
  const headers = pairs(response?.headers);
  let text = '';
  if (response?.events) text = eventStreamText(response.events);
  else if (response?.body !== null && response?.body !== undefined) text = JSON.stringify(response.body);
  const mimeType = response?.headers['content-type'] || '';
  return {
    status: entry.state === 'in_flight' ? 0 : entry.status,
    statusText: '',
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers,
    content: { size: text.length, mimeType, text },
    redirectURL: '',
    headersSize: -1,
    bodySize: -1,
  };
}

export function toHar(entries, origin, version) {
  return {
    log: {
      version: '1.2',
      creator: { name: 'image-edits-sandbox dashboard', version },
      entries: entries.map((entry) => ({
        startedDateTime: entry.time,
        time: entry.duration_ms,
        request: {
          method: entry.method,
          url: origin + entry.path,
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: pairs(entry.headers),
          queryString: [],
          postData: harPostData(entry),
          headersSize: -1,
          bodySize: -1,
        },
        response: harResponse(entry),
        cache: {},
        timings: { send: 0, wait: entry.duration_ms, receive: 0 },
        comment: `${entry.id} · namespace ${entry.namespace}${entry.scenario ? ` · scenario ${entry.scenario}` : ''}`,
      })),
    },
  };
}

export function toJson(entries) {
  return { data: entries };
}

/** Hands the browser a file to save. */
export function download(filename, value) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

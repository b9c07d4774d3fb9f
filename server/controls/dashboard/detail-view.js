// One entry in full: the request (prompt, fields as sent and as resolved, uploads, headers),
// the response as the client received it (headers, the body with its images inline, a
// stream's events in order with their partial images and times), usage, error and timing, with
// its permalink and the request again as curl or as a Node SDK script.
import { el, formatBytes, formatMs, statusClass, statusText, table } from './dom.js';
import { modelOf, promptOf } from './filters.js';
import { curlCommand, sdkSnippet } from './snippets.js';

const isImageRef = (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && typeof value.$image === 'object';

/** Pretty JSON as text, with each `{"$image": …}` reference drawn as the image it stands for. */
function jsonView(value, imageFor, className) {
  const pre = el('pre', { class: `json ${className || ''}` });
  const pad = (depth) => '  '.repeat(depth);
  const write = (item, depth) => {
    if (isImageRef(item)) return pre.append(imageFor(item.$image));
    if (Array.isArray(item) || (item !== null && typeof item === 'object')) {
      const keys = Array.isArray(item) ? [...item.keys()] : Object.keys(item);
      const [open, close] = Array.isArray(item) ? ['[', ']'] : ['{', '}'];
      if (keys.length === 0) return pre.append(open + close);
      pre.append(`${open}\n`);
      keys.forEach((key, i) => {
        pre.append(pad(depth + 1) + (Array.isArray(item) ? '' : `${JSON.stringify(key)}: `));
        write(item[key], depth + 1);
        pre.append(i < keys.length - 1 ? ',\n' : '\n');
      });
      return pre.append(pad(depth) + close);
    }
    return pre.append(JSON.stringify(item) ?? 'null');
  };
  write(value, 0);
  return pre;
}

function section(title, ...children) {
  const id = `detail-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return el('section', { class: 'detail-section', 'aria-labelledby': id }, el('h3', { id, text: title }), ...children);
}

function usageText(usage) {
  const details = usage.input_tokens_details || {};
  // gpt-image-2 and later answers split the output tokens too; older ones do not.
  const out = usage.output_tokens_details;
  const outDetails = out ? ` (image ${out.image_tokens}, text ${out.text_tokens})` : '';
  return `input ${usage.input_tokens} (text ${details.text_tokens ?? '?'}, image ${details.image_tokens ?? '?'}) · output ${usage.output_tokens}${outDetails} · total ${usage.total_tokens}`;
}

/** `images` draws thumbnails; `copy(text, what)` puts a snippet on the clipboard; `onBack` leaves the detail (narrow screens). */
export function createDetailView(root, { images, copy, onBack, permalinkOf, signedIn }) {
  let shown = null;
  let rendered = false;
  let lastMissing = null;

  function outputSize(entry) {
    const match = /^(\d+)x(\d+)$/.exec(entry.plan?.size || '');
    return match ? [Number(match[1]), Number(match[2])] : [undefined, undefined];
  }

  function imageFor(entry) {
    const [w, h] = outputSize(entry);
    return ({ kind, index }) => {
      const item = entry[kind]?.[index];
      const label = kind === 'partials' ? `partial #${index}` : `output #${index}`;
      if (!item) return el('span', { class: 'missing-ref', text: `(${label}: not kept)` });
      return images.thumbnail(kind === 'partials' ? 'partial' : 'output', item.url, `${label} · ${item.format} · ${formatBytes(item.bytes)}`, w, h);
    };
  }

  function header(entry) {
    const time = new Date(entry.time);
    const origin = location.origin;
    return el(
      'header',
      { class: 'detail-head' },
      el('button', { type: 'button', class: 'back quiet', text: '← Requests' }),
      el(
        'div',
        { class: 'detail-title' },
        el('span', { class: `status ${statusClass(entry)}`, text: statusText(entry) }),
        el('h2', { text: modelOf(entry) || '(no model)' }),
        entry.body_form === 'json' ? el('span', { class: 'tag', text: 'JSON' }) : null,
        entry.stream ? el('span', { class: 'tag', text: 'stream' }) : null,
        entry.scenario ? el('span', { class: 'tag scenario', text: `scenario ${entry.scenario}` }) : null,
      ),
      el(
        'p',
        { class: 'detail-meta' },
        el('code', { class: 'id', text: entry.id }),
        ` · namespace ${entry.namespace} · `,
        el('time', { datetime: entry.time, text: Number.isNaN(time.getTime()) ? entry.time : time.toLocaleString() }),
        entry.state === 'in_flight' ? ' · in flight, waiting for its answer' : ` · ${formatMs(entry.duration_ms)}`,
      ),
      el(
        'div',
        { class: 'actions' },
        el('a', { class: 'permalink', href: permalinkOf(entry.id), text: 'Permalink' }),
        el('button', { type: 'button', 'data-copy': 'curl', text: 'Copy as curl' }),
        el('button', { type: 'button', 'data-copy': 'sdk', text: 'Copy as Node SDK' }),
      ),
      el(
        'details',
        { class: 'snippets' },
        el('summary', { text: 'Show the curl command and the SDK script' }),
        el('pre', { class: 'snippet', 'data-snippet': 'curl', text: curlCommand(entry, { origin, signedIn: signedIn() }) }),
        el('pre', { class: 'snippet', 'data-snippet': 'sdk', text: sdkSnippet(entry, { origin, signedIn: signedIn() }) }),
      ),
    );
  }

  function requestSection(entry) {
    const prompt = promptOf(entry);
    const fields = Object.entries(entry.fields).filter(([name]) => name !== 'prompt').map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]);
    const uploads = el('div', { class: 'images' });
    entry.files.forEach((file, i) => uploads.append(images.thumbnail('input', file.url, images.uploadCaption(file, i), file.width, file.height)));
    if (entry.mask) {
      const first = entry.files[0];
      uploads.append(first ? images.maskOverImage(first, entry.mask) : images.thumbnail('mask', entry.mask.url, `mask · ${entry.mask.filename}`, entry.mask.width, entry.mask.height));
    }
    return section(
      'Request',
      prompt ? el('blockquote', { class: 'prompt', text: prompt }) : el('p', { class: 'prompt none', text: '(no prompt)' }),
      fields.length ? el('div', { class: 'sub' }, el('h4', { text: 'Fields as sent' }), table(fields, 'fields')) : null,
      entry.plan ? el('div', { class: 'sub' }, el('h4', { text: 'Resolved' }), table(Object.entries(entry.plan), 'plan')) : null,
      uploads.childNodes.length ? el('div', { class: 'sub' }, el('h4', { text: 'Uploads' }), uploads) : null,
      el('details', { class: 'sub' }, el('summary', { text: 'Request headers' }), table(Object.entries(entry.headers).map(([k, v]) => [k, v ?? '']), 'request-headers')),
    );
  }

  /** An image reference as text, where the image itself is already shown beside. */
  const imageNamed = ({ kind, index }) => el('span', { class: 'ref', text: `(${kind === 'partials' ? 'partial' : 'output'} #${index}, shown beside)` });

  function responseSection(entry) {
    if (entry.state === 'in_flight') return section('Response', el('p', { class: 'waiting', text: 'In flight: no answer yet. This updates when the request ends.' }));
    const response = entry.response;
    const headers = Object.entries(response?.headers || {});
    const body = [];
    if (response?.events) {
      const list = el('ol', { class: 'events' });
      for (const event of response.events) {
        const image = isImageRef(event.data.b64_json) ? imageFor(entry)(event.data.b64_json.$image) : null;
        list.append(
          el(
            'li',
            { class: 'event', 'data-event': event.event, 'data-at-ms': event.at_ms },
            el('span', { class: 'at', text: `+${formatMs(event.at_ms)}` }),
            el('code', { text: event.event }),
            image,
            el('details', {}, el('summary', { text: 'data' }), jsonView(event.data, imageNamed, 'event-data')),
          ),
        );
      }
      body.push(el('h4', { text: `Stream: ${response.events.length} event${response.events.length === 1 ? '' : 's'} written, in order` }), list);
    } else if (response && response.body !== null && response.body !== undefined) {
      body.push(el('h4', { text: 'Body' }), jsonView(response.body, imageFor(entry), 'body'));
      if (entry.plan?.response_format === 'url' && entry.outputs.length) {
        const [w, h] = outputSize(entry);
        const kept = el('div', { class: 'images' });
        for (const output of entry.outputs) kept.append(images.thumbnail('output', output.url, `output #${output.index} · ${output.format} · ${formatBytes(output.bytes)}`, w, h));
        body.push(el('h4', { text: 'Images behind the urls' }), kept);
      }
    } else body.push(el('p', { class: 'none', text: 'No body reached the client.' }));
    return section(
      'Response',
      el('p', { class: 'response-status' }, el('span', { class: `status ${statusClass(entry)}`, text: statusText(entry) }), headers.length ? ` ${response.headers['content-type'] || ''}` : ' no headers reached the client'),
      headers.length ? el('details', { class: 'sub', open: true }, el('summary', { text: 'Response headers' }), table(headers, 'response-headers')) : null,
      ...body,
    );
  }

  function timingSection(entry) {
    const rows = [['arrived', entry.time]];
    if (entry.state === 'complete') rows.push(['duration', `${entry.duration_ms} ms`]);
    const processing = entry.response?.headers['openai-processing-ms'];
    if (processing !== undefined) rows.push(['openai-processing-ms', processing]);
    const events = entry.response?.events;
    if (events?.length) rows.push(['first event', `+${events[0].at_ms} ms`], ['last event', `+${events[events.length - 1].at_ms} ms`]);
    return section('Timing', table(rows, 'timing'));
  }

  /** Shows `entry`; with none, a placeholder (or, for a `missingId`, why it is not there). */
  function render(entry, missingId) {
    images.release();
    shown = entry ?? null;
    if (!entry) {
      const text = missingId ? `No request ${missingId} in the journal: it was cleared, reset or dropped by the size bound.` : 'Choose a request to see it in full.';
      root.replaceChildren(el('p', { class: 'placeholder', text }));
      return;
    }
    const parts = [
      header(entry),
      requestSection(entry),
      responseSection(entry),
      entry.usage ? section('Usage', el('p', { class: 'usage', text: usageText(entry.usage) })) : null,
      entry.error ? section('Error', el('pre', { class: 'error', text: JSON.stringify({ error: entry.error }, null, 2) })) : null,
      timingSection(entry),
    ];
    root.replaceChildren(...parts.filter(Boolean));
  }

  root.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button || !shown) return;
    if (button.classList.contains('back')) onBack();
    const what = button.dataset.copy;
    if (what) copy(root.querySelector(`pre[data-snippet="${what}"]`).textContent, what === 'curl' ? 'the curl command' : 'the SDK script');
  });

  return {
    /** Re-renders only when the entry changed (it arrives in flight, then complete) or another is chosen. */
    update(entry, id) {
      const missing = entry ? null : id || null;
      if (rendered && (entry ?? null) === shown && missing === lastMissing) return;
      rendered = true;
      lastMissing = missing;
      render(entry, missing);
    },
  };
}

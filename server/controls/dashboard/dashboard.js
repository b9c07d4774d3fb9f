// The sandbox dashboard: reads the journal API once a second and shows every edit request,
// newest first. Plain browser JavaScript (no build step); every value from a request is put
// in the page as text, never as HTML.
'use strict';

(function dashboard() {
  const POLL_MS = 1000;
  const THUMB = 160; // px, the longest side of a thumbnail

  // SANDBOX_ADMIN_TOKEN: given once as /__sandbox/#token=..., kept for this tab only.
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('sandbox-admin-token', fromHash);
    history.replaceState(null, '', location.pathname);
  }
  const token = sessionStorage.getItem('sandbox-admin-token');
  const authHeaders = token ? { authorization: `Bearer ${token}` } : {};

  const $ = (id) => document.getElementById(id);
  const shown = new Map(); // request id -> its <article>
  let armedKey = '';

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  async function api(method, path, body) {
    const headers = { accept: 'application/json', ...authHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const message = json && json.error ? json.error.message : text || res.statusText;
      const error = new Error(`${res.status}: ${message}`);
      error.status = res.status;
      throw error;
    }
    return json;
  }

  function notice(message) {
    $('notice').hidden = !message;
    $('notice').textContent = message || '';
  }

  // Images: plain URLs, or fetched with the admin token when one is needed.
  async function imageSource(url) {
    if (!token) return url;
    const res = await fetch(url, { headers: authHeaders });
    if (!res.ok) throw new Error(`${res.status}`);
    return URL.createObjectURL(await res.blob());
  }

  function loadImage(url) {
    return imageSource(url).then(
      (src) =>
        new Promise((resolve, reject) => {
          const img = new Image();
          img.onload = () => resolve(img);
          img.onerror = () => reject(new Error(`could not load ${url}`));
          img.src = src;
        }),
    );
  }

  function fitted(width, height) {
    const scale = Math.min(1, THUMB / Math.max(width || THUMB, height || THUMB));
    return [Math.max(1, Math.round((width || THUMB) * scale)), Math.max(1, Math.round((height || THUMB) * scale))];
  }

  const kb = (bytes) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`);

  /** A thumbnail figure: the image (or a note when its bytes are gone), a caption, a link. */
  function thumbnail(kind, url, caption, width, height) {
    const [w, h] = fitted(width, height);
    const figure = el('figure', { class: `thumb ${kind}`, 'data-kind': kind });
    if (url) {
      const img = el('img', { alt: caption, width: w, height: h });
      figure.append(el('a', { href: url, target: '_blank', rel: 'noopener' }, img));
      img.onload = () => (figure.dataset.loaded = 'true');
      img.onerror = () => figure.classList.add('missing');
      imageSource(url).then((src) => (img.src = src), () => figure.classList.add('missing'));
    } else {
      const gone = el('div', { class: 'gone', text: 'bytes released' });
      gone.style.width = `${w}px`; // CSSOM, which the page's CSP allows (a style attribute it would not)
      gone.style.height = `${h}px`;
      figure.append(gone);
    }
    figure.append(el('figcaption', { text: caption }));
    return figure;
  }

  /** The first image with the mask's editable (transparent) area tinted over it. */
  function maskOverImage(image, mask) {
    const [w, h] = fitted(image.width, image.height);
    const canvas = el('canvas', { width: w, height: h, title: 'tinted: the area the mask lets the edit repaint' });
    const figure = el('figure', { class: 'thumb mask', 'data-kind': 'mask' }, canvas, el('figcaption', { text: `mask over image · ${mask.filename} · ${mask.width}×${mask.height}` }));
    if (!image.url || !mask.url) {
      figure.classList.add('missing');
      return figure;
    }
    Promise.all([loadImage(image.url), loadImage(mask.url)]).then(
      ([picture, maskImage]) => {
        const ctx = canvas.getContext('2d');
        ctx.drawImage(picture, 0, 0, w, h);
        const scratch = document.createElement('canvas');
        scratch.width = w;
        scratch.height = h;
        const sctx = scratch.getContext('2d');
        sctx.drawImage(maskImage, 0, 0, w, h);
        const alpha = sctx.getImageData(0, 0, w, h).data;
        const pixels = ctx.getImageData(0, 0, w, h);
        for (let i = 0; i < pixels.data.length; i += 4) {
          if (alpha[i + 3] >= 128) continue; // opaque mask: kept as is
          pixels.data[i] = Math.round(pixels.data[i] * 0.4 + 255 * 0.6);
          pixels.data[i + 1] = Math.round(pixels.data[i + 1] * 0.4);
          pixels.data[i + 2] = Math.round(pixels.data[i + 2] * 0.4 + 200 * 0.6);
          pixels.data[i + 3] = 255;
        }
        ctx.putImageData(pixels, 0, 0);
        figure.dataset.loaded = 'true';
      },
      () => figure.classList.add('missing'),
    );
    return figure;
  }

  function chips(values, className) {
    const list = el('dl', { class: className });
    for (const [key, value] of Object.entries(values || {})) {
      if (key === 'prompt' || value === undefined) continue;
      list.append(el('div', {}, el('dt', { text: key }), el('dd', { text: typeof value === 'string' ? value : JSON.stringify(value) })));
    }
    return list;
  }

  function usageLine(usage) {
    if (!usage) return null;
    const details = usage.input_tokens_details || {};
    const out = usage.output_tokens_details;
    const outDetails = out ? ` (image ${out.image_tokens}, text ${out.text_tokens})` : '';
    const text = `input ${usage.input_tokens} (text ${details.text_tokens ?? '?'}, image ${details.image_tokens ?? '?'}) · output ${usage.output_tokens}${outDetails} · total ${usage.total_tokens}`;
    return el('p', { class: 'usage' }, el('strong', { text: 'usage ' }), text);
  }

  function statusClass(status) {
    if (status >= 500) return 's5';
    if (status >= 400) return 's4';
    return 's2';
  }

  function entryView(entry) {
    const model = (entry.plan && entry.plan.model) || entry.fields.model || '(default)';
    const time = new Date(entry.time);
    const head = el(
      'header',
      {},
      el('span', { class: `status ${statusClass(entry.status)}`, text: String(entry.status) }),
      el('span', { class: 'model', text: model }),
      entry.body_form === 'json' ? el('span', { class: 'tag', text: 'JSON' }) : null,
      entry.stream ? el('span', { class: 'tag', text: 'stream' }) : null,
      entry.scenario ? el('span', { class: 'tag scenario', text: `scenario ${entry.scenario}` }) : null,
      el('span', { class: 'path', text: `${entry.method} ${entry.path}` }),
      el('span', { class: 'timing', text: `${Math.round(entry.duration_ms)} ms` }),
      el('time', { datetime: entry.time, text: isNaN(time) ? entry.time : time.toLocaleTimeString() }),
      el('code', { class: 'id', text: entry.id }),
    );
    const prompt = typeof entry.fields.prompt === 'string' ? entry.fields.prompt : null;

    const images = el('div', { class: 'images' });
    entry.files.forEach((file, i) => {
      const caption = `${file.field} #${i} · ${file.filename} · ${file.width ?? '?'}×${file.height ?? '?'} ${file.format ?? file.content_type} · ${kb(file.bytes)}`;
      images.append(thumbnail('input', file.url, caption, file.width, file.height));
    });
    if (entry.mask) {
      const first = entry.files[0];
      images.append(first ? maskOverImage(first, entry.mask) : thumbnail('mask', entry.mask.url, `mask · ${entry.mask.filename}`, entry.mask.width, entry.mask.height));
    }
    if (entry.outputs.length) images.append(el('span', { class: 'arrow', 'aria-hidden': 'true', text: '→' }));
    const [outW, outH] = entry.plan && /^\d+x\d+$/.test(entry.plan.size) ? entry.plan.size.split('x').map(Number) : [THUMB, THUMB];
    for (const output of entry.outputs)
      images.append(thumbnail('output', output.url, `output #${output.index} · ${output.format} · ${kb(output.bytes)}`, outW, outH));

    return el(
      'article',
      { class: 'entry', 'data-id': entry.id, 'data-status': entry.status },
      head,
      prompt !== null ? el('blockquote', { class: 'prompt', text: prompt }) : el('p', { class: 'prompt none', text: '(no prompt)' }),
      entry.plan ? el('section', { class: 'params' }, el('h3', { text: 'resolved' }), chips(entry.plan, 'chips plan')) : null,
      el('section', { class: 'params' }, el('h3', { text: 'sent' }), chips(entry.fields, 'chips fields')),
      images.childNodes.length ? images : null,
      usageLine(entry.usage),
      entry.error ? el('pre', { class: 'error', text: JSON.stringify({ error: entry.error }, null, 2) }) : null,
      el('details', { class: 'headers' }, el('summary', { text: 'request headers' }), el('pre', { text: JSON.stringify(entry.headers, null, 2) })),
    );
  }

  /** Newest first; an entry is built again only when its revision changed (it was in flight). */
  function render(entries) {
    const journal = $('journal');
    const ids = new Set(entries.map((e) => e.id));
    for (const [id, node] of shown)
      if (!ids.has(id)) {
        node.remove();
        shown.delete(id);
      }
    let previous = null;
    for (const entry of [...entries].reverse()) {
      let node = shown.get(entry.id);
      if (!node || node.dataset.rev !== String(entry.rev)) {
        const fresh = entryView(entry);
        fresh.dataset.rev = String(entry.rev);
        if (node) node.replaceWith(fresh);
        node = fresh;
        shown.set(entry.id, node);
      }
      const wanted = previous ? previous.nextSibling : journal.firstChild;
      if (node !== wanted) journal.insertBefore(node, wanted);
      previous = node;
    }
    $('empty').hidden = entries.length > 0;
  }

  function renderArmed(list) {
    const key = JSON.stringify(list.data);
    if (key !== armedKey) {
      armedKey = key;
      const armed = list.data.map((a) => `${a.scenario} ×${a.remaining}${a.match ? ` (${JSON.stringify(a.match)})` : ''}`);
      $('armed').hidden = armed.length === 0;
      $('armed').textContent = armed.length ? `armed: ${armed.join(', ')}` : '';
    }
    const select = $('scenario-name');
    if (select.options.length === 0)
      for (const name of list.scenarios) select.append(el('option', { value: name, text: name }));
  }

  let polling = false;
  async function poll() {
    if (polling) return;
    polling = true;
    try {
      const [journal, scenarios] = await Promise.all([api('GET', '/__sandbox/requests'), api('GET', '/__sandbox/scenarios')]);
      render(journal.data);
      renderArmed(scenarios);
      $('live').textContent = `live · ${journal.data.length} request${journal.data.length === 1 ? '' : 's'} · ${new Date().toLocaleTimeString()}`;
      $('live').className = 'ok';
    } catch (err) {
      $('live').textContent = err.status === 401 ? 'admin token required: open /__sandbox/#token=YOUR_TOKEN' : `offline: ${err.message}`;
      $('live').className = 'down';
    } finally {
      polling = false;
    }
  }

  $('clear').addEventListener('click', async () => {
    try {
      await api('DELETE', '/__sandbox/requests');
      notice('');
      await poll();
    } catch (err) {
      notice(`Could not clear the journal: ${err.message}`);
    }
  });

  $('arm-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const armed = await api('POST', '/__sandbox/scenarios', { scenario: $('scenario-name').value, times: Number($('scenario-times').value) });
      notice(`Armed ${armed.scenario} for the next ${armed.times} edit request${armed.times === 1 ? '' : 's'}.`);
      await poll();
    } catch (err) {
      notice(`Could not arm the scenario: ${err.message}`);
    }
  });

  $('disarm').addEventListener('click', async () => {
    try {
      await api('DELETE', '/__sandbox/scenarios');
      notice('');
      await poll();
    } catch (err) {
      notice(`Could not disarm: ${err.message}`);
    }
  });

  $('base-url').textContent = `${location.origin}/v1`;
  poll();
  setInterval(poll, POLL_MS);
})();

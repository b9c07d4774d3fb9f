// Building the page's DOM. Every value from a request (prompts, filenames, headers, bodies) is
// hostile input: it goes into the page as text nodes or attribute values, never as HTML.

/** An element with attributes (`class`, `text`, anything else as an attribute) and children. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child);
  }
}

export const $ = (id) => document.getElementById(id);

/** Kilobytes or megabytes, for sizes in captions. */
export function formatBytes(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

export function formatMs(ms) {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** The status badge class: 2xx, 4xx, 5xx, or in flight. */
export function statusClass(entry) {
  if (entry.state === 'in_flight') return 'busy';
  if (entry.status >= 500) return 's5';
  if (entry.status >= 400) return 's4';
  return 's2';
}

export function statusText(entry) {
  return entry.state === 'in_flight' ? 'in flight' : String(entry.status);
}

/** A two-column table of names and values (fields, headers), values shown as text. */
export function table(rows, className) {
  const body = el('tbody');
  for (const [name, value] of rows) body.append(el('tr', {}, el('th', { scope: 'row', text: name }), el('td', {}, value instanceof Node ? value : String(value))));
  return el('table', { class: `kv ${className || ''}` }, body);
}

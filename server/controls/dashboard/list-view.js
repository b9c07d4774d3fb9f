// The request list: one compact row per entry, newest first, at most `limit` rows in the DOM
// (a "show more" button adds more), rows reused while their entry is unchanged. Each row is
// a link (its permalink); arrow keys move between rows.
import { el, formatMs, statusClass, statusText } from './dom.js';
import { modelOf, promptOf } from './filters.js';

function rowView(entry, href) {
  const time = new Date(entry.time);
  const meta = [
    modelOf(entry) || '(no model)',
    entry.namespace,
    Number.isNaN(time.getTime()) ? entry.time : time.toLocaleTimeString(),
    entry.state === 'in_flight' ? 'waiting' : formatMs(entry.duration_ms),
  ];
  const prompt = promptOf(entry);
  return el(
    'li',
    { class: 'row', 'data-id': entry.id, 'data-state': entry.state, 'data-status': entry.status },
    el(
      'a',
      { href, class: 'row-link' },
      el('span', { class: `status ${statusClass(entry)}`, text: statusText(entry) }),
      el(
        'span',
        { class: 'row-main' },
        el('span', { class: prompt ? 'row-prompt' : 'row-prompt none', text: prompt || '(no prompt)' }),
        el(
          'span',
          { class: 'row-meta' },
          meta.join(' · '),
          entry.body_form === 'json' ? el('span', { class: 'tag', text: 'JSON' }) : null,
          entry.stream ? el('span', { class: 'tag', text: 'stream' }) : null,
          entry.scenario ? el('span', { class: 'tag scenario', text: entry.scenario }) : null,
        ),
      ),
    ),
  );
}

/**
 * `list` is the <ol>; `more` the "show more" button. `hrefOf(id)` is an entry's permalink;
 * `onSelect(id)` runs when a row is chosen.
 */
export function createListView(list, more, { hrefOf, onSelect }) {
  /** id -> { entry, node } for the rows built so far */
  const built = new Map();

  list.addEventListener('click', (event) => {
    const link = event.target.closest('a.row-link');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onSelect(link.parentElement.dataset.id);
  });
  list.addEventListener('keydown', (event) => {
    const rows = [...list.children];
    const row = event.target.closest('li.row');
    const at = row ? rows.indexOf(row) : -1; // the list itself (the skip link's target): the first row is next
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[event.key];
    if (to === undefined || !rows[to]) return;
    event.preventDefault();
    rows[to].querySelector('a').focus();
  });

  /** Shows `entries` (newest first, already filtered), at most `limit`, with `selectedId` marked. */
  function render(entries, limit, selectedId) {
    const shown = entries.slice(0, limit);
    const keep = new Set(shown.map((e) => e.id));
    for (const [id, row] of built) if (!keep.has(id)) built.delete(id) && row.node.remove();
    let previous = null;
    for (const entry of shown) {
      let row = built.get(entry.id);
      if (!row || row.entry !== entry) {
        const node = rowView(entry, hrefOf(entry.id));
        if (row) row.node.replaceWith(node);
        row = { entry, node };
        built.set(entry.id, row);
      }
      const link = row.node.firstChild;
      if (entry.id === selectedId) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
      const wanted = previous ? previous.nextSibling : list.firstChild;
      if (row.node !== wanted) list.insertBefore(row.node, wanted);
      previous = row.node;
    }
    more.hidden = entries.length <= limit;
    more.textContent = `Show ${Math.min(100, entries.length - limit)} more (${entries.length - limit} not shown)`;
  }

  /** Permalinks follow the filter: rows are rebuilt with new hrefs. */
  function refreshLinks() {
    for (const [id, row] of built) row.node.firstChild.setAttribute('href', hrefOf(id));
  }

  return { render, refreshLinks };
}

// The Coverage tab: which outcomes of the contract (GET /__sandbox/coverage) the clients of a
// namespace, or of every namespace (`*`), have received and which never, kind by kind, with
// one line per namespace beside it. Read when the tab is shown and while it stays shown.
import { $, el } from './dom.js';

/** At most this many namespaces get a line of their own (one read each). */
const MAX_NAMESPACES = 20;

const percent = (report) => `${(report.fraction * 100).toFixed(1)}%`;
const summaryText = (report) => `${report.exercised} of ${report.total} outcomes received (${percent(report)})`;
const path = (namespace) => `/__sandbox/coverage?namespace=${encodeURIComponent(namespace)}`;

function seenText(outcome) {
  return (outcome.seen || []).map((s) => `${s.status} ${s.type}${s.code ? ` / ${s.code}` : ''}${s.param !== null ? ` (${s.param})` : ''} ×${s.count}`).join('; ');
}

function outcomeRow(outcome) {
  return el(
    'li',
    { class: `outcome ${outcome.exercised ? 'hit' : 'miss'}`, 'data-outcome': outcome.id },
    el('span', { class: 'outcome-mark', text: outcome.exercised ? `×${outcome.count}` : 'never' }),
    el('code', { class: 'outcome-id', text: outcome.id }),
    el('span', { class: 'outcome-text', text: outcome.description }),
    outcome.seen && outcome.seen.length ? el('span', { class: 'outcome-seen', text: `seen as ${seenText(outcome)}` }) : null,
  );
}

/** `namespaces()` resolves to the names /__sandbox/namespaces lists. */
export function createCoverage(api, { namespaces }) {
  const chosen = () => $('cov-ns').value.trim() || '*';
  let shownKey = '';

  function renderReport(report) {
    const onlyMissing = $('cov-missing').checked;
    const key = JSON.stringify([report, onlyMissing]);
    if (key === shownKey) return;
    shownKey = key;
    $('cov-summary').textContent = `${report.namespace === '*' ? 'Every namespace' : `Namespace ${report.namespace}`}: ${summaryText(report)}.`;
    $('cov-kinds').replaceChildren(
      ...report.kinds.map((kind) =>
        el('tr', {}, el('th', { scope: 'row', text: kind.kind }), el('td', { text: String(kind.exercised) }), el('td', { text: String(kind.total - kind.exercised) }), el('td', { text: String(kind.total) })),
      ),
    );
    $('cov-outcomes').replaceChildren(
      ...report.kinds.map((kind) => {
        const shown = report.outcomes.filter((o) => o.kind === kind.kind && (!onlyMissing || !o.exercised));
        if (shown.length === 0) return null;
        return el('section', { class: 'outcome-kind' }, el('h3', { text: `${kind.kind}: ${kind.exercised} of ${kind.total} received` }), el('ul', { class: 'outcomes' }, shown.map(outcomeRow)));
      }).filter(Boolean),
    );
  }

  /** One line per namespace; the chosen one's report is the one already read, not fetched again. */
  async function renderNamespaces(chosenReport) {
    const names = (await namespaces()).slice(0, MAX_NAMESPACES);
    const reports = await Promise.all(['*', ...names].map((name) => (name === chosenReport.namespace ? chosenReport : api.call('GET', path(name)))));
    $('cov-namespaces').replaceChildren(
      ...reports.map((report) =>
        el(
          'tr',
          { 'data-namespace': report.namespace },
          el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', 'data-pick': report.namespace, text: report.namespace === '*' ? '* (every namespace)' : report.namespace })),
          el('td', { text: String(report.exercised) }),
          el('td', { text: String(report.total - report.exercised) }),
          el('td', { text: percent(report) }),
        ),
      ),
    );
  }

  /** Reads the chosen namespace's coverage and the per-namespace lines; a failure is said in the tab. */
  async function refresh() {
    try {
      const report = await api.call('GET', path(chosen()));
      renderReport(report);
      await renderNamespaces(report);
      $('cov-error').hidden = true;
    } catch (err) {
      $('cov-error').textContent = `Could not read the coverage: ${err.message}`;
      $('cov-error').hidden = false;
      throw err;
    }
  }

  $('cov-form').addEventListener('submit', (event) => {
    event.preventDefault();
    refresh().catch(() => undefined);
  });
  $('cov-missing').addEventListener('change', () => refresh().catch(() => undefined));
  $('cov-namespaces').addEventListener('click', (event) => {
    const pick = event.target.closest('[data-pick]');
    if (!pick) return;
    $('cov-ns').value = pick.dataset.pick;
    refresh().catch(() => undefined);
  });

  return { refresh, shown: () => !$('panel-coverage').hidden };
}

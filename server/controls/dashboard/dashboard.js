// The sandbox dashboard: a filterable list of the journal's requests beside the detail of the
// chosen one, kept up to date by incremental reads, a Controls tab and a Coverage tab. Plain ES modules
// served from the sandbox itself (no build step, nothing from another origin).
import { createApi, isUnauthorised } from './api.js';
import { adminToken, takeTokenFromHash } from './auth.js';
import { createControls } from './controls-view.js';
import { createCoverage } from './coverage-view.js';
import { createDetailView } from './detail-view.js';
import { $, el, statusText } from './dom.js';
import { download, toHar, toJson } from './export.js';
import { FILTER_FIELDS, filterQuery, fromLocalInput, isFiltered, matches, modelOf, promptOf, readFilter, toLocalInput } from './filters.js';
import { createImages } from './images.js';
import { createListView } from './list-view.js';
import { createJournalCopy } from './sync.js';

const POLL_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** Polls between reads of the armed scenarios (tests arm them too, but rarely). */
const ARMED_EVERY = 5;
/** Rows shown at first, and added by "show more". */
const PAGE = 100;
const MESSAGE_MS = 6000;
const NARROW = '(max-width: 760px)';

const api = createApi(adminToken.get);
const copy = createJournalCopy(api);
const images = createImages(api, () => Boolean(adminToken.get()));
const signedIn = () => Boolean(adminToken.get());

let filter = readFilter(new URLSearchParams(location.search));
let selectedId = new URLSearchParams(location.search).get('id');
let limit = PAGE;

// ---- messages: every action ends in one, and it clears itself
const messageTimers = {};
/** Shows the outcome of an action (`ok` or not) for a few seconds; empty text hides both. */
function notify(text, ok) {
  const [show, hide] = ok ? ['message', 'failure'] : ['failure', 'message'];
  $(hide).hidden = true;
  if (!text) {
    $(show).hidden = true;
    return;
  }
  $(show).textContent = text;
  $(show).hidden = false;
  clearTimeout(messageTimers[show]);
  messageTimers[show] = setTimeout(() => {
    $(show).hidden = true;
    $(show).textContent = '';
  }, MESSAGE_MS);
}

async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    notify(`Copied ${what}.`, true);
  } catch (err) {
    notify(`Could not copy ${what} (${err.message}); it is shown under "Show the curl command and the SDK script" to copy by hand.`, false);
  }
}

// ---- the address: the filter and the chosen entry
const hrefOf = (id) => location.pathname + filterQuery(filter, id);
const permalinkOf = (id) => `${location.origin}${location.pathname}?id=${encodeURIComponent(id)}`;

// ---- views
const list = createListView($('list'), $('more'), { hrefOf, onSelect: (id) => select(id) });
const detail = createDetailView($('detail'), { images, copy: copyText, onBack: () => select(null), permalinkOf, signedIn });
const controls = createControls(api, { notify, changed: () => pollSoon() });
const coverage = createCoverage(api, { namespaces: async () => (await api.call('GET', '/__sandbox/namespaces')).data.map((ns) => ns.name) });

const visibleEntries = () => copy.newestFirst().filter((entry) => matches(entry, filter));

function render() {
  const shown = visibleEntries();
  list.render(shown, limit, selectedId);
  $('count').textContent = isFiltered(filter) ? `${shown.length} of ${copy.size} requests` : `${copy.size} request${copy.size === 1 ? '' : 's'}`;
  $('empty').hidden = copy.size > 0;
  detail.update(selectedId ? copy.get(selectedId) : null, selectedId);
  $('split').dataset.view = selectedId ? 'detail' : 'list';
  const active = FILTER_FIELDS.filter((name) => filter[name]).length;
  $('filter-count').textContent = active ? `(${active} on)` : '';
}

function select(id) {
  selectedId = id;
  history.pushState(null, '', hrefOf(id));
  render();
  if (id) $('detail').focus({ preventScroll: !window.matchMedia(NARROW).matches });
  else $('list').querySelector('a[aria-current]')?.focus();
}

// ---- filter controls <-> filter
const FILTER_INPUTS = { ns: 'f-ns', status: 'f-status', model: 'f-model', stream: 'f-stream', scenario: 'f-scenario', q: 'f-q', from: 'f-from', to: 'f-to' };

/** Makes sure a select can show `value` (one from the address the page has not seen yet). */
function ensureOption(select, value, label = value) {
  if (value && ![...select.options].some((o) => o.value === value)) select.append(el('option', { value, text: label }));
}

function showFilter() {
  for (const [name, id] of Object.entries(FILTER_INPUTS)) {
    const input = $(id);
    if (input.tagName === 'SELECT') ensureOption(input, filter[name]);
    input.value = name === 'from' || name === 'to' ? toLocalInput(filter[name]) : filter[name];
  }
}

function readFilterInputs() {
  const next = {};
  for (const [name, id] of Object.entries(FILTER_INPUTS)) next[name] = name === 'from' || name === 'to' ? fromLocalInput($(id).value) : $(id).value;
  return next;
}

function filterChanged() {
  filter = readFilterInputs();
  limit = PAGE;
  history.replaceState(null, '', hrefOf(selectedId));
  list.refreshLinks();
  render();
  if (filter.ns) controls.follow(filter.ns);
}
$('filters').addEventListener('input', filterChanged);
$('filters').addEventListener('change', filterChanged);
$('filters').addEventListener('submit', (event) => event.preventDefault());
$('f-clear').addEventListener('click', () => {
  for (const id of Object.values(FILTER_INPUTS)) $(id).value = '';
  filterChanged();
});
$('more').addEventListener('click', () => {
  limit += PAGE;
  render();
});
window.addEventListener('popstate', () => {
  const params = new URLSearchParams(location.search);
  filter = readFilter(params);
  selectedId = params.get('id');
  showFilter();
  render();
});

/** Adds options for values the entries use (models, namespaces), keeping the order seen. */
function learnOptions(entries) {
  for (const entry of entries) {
    const model = modelOf(entry);
    if (model) {
      ensureOption($('f-model'), model);
      ensureOption($('model-names'), model);
    }
    ensureOption($('f-ns'), entry.namespace);
    ensureOption($('ns-names'), entry.namespace);
  }
}

async function learnNamespaces() {
  const { data } = await api.call('GET', '/__sandbox/namespaces');
  for (const ns of data) {
    ensureOption($('f-ns'), ns.name);
    ensureOption($('ns-names'), ns.name);
  }
}

function learnScenarios(names) {
  for (const name of names) ensureOption($('f-scenario'), name);
}

// ---- exports of what the list shows
$('export-json').addEventListener('click', () => {
  const entries = visibleEntries();
  download('image-edits-sandbox-requests.json', toJson(entries));
  notify(`Exported ${entries.length} request${entries.length === 1 ? '' : 's'} as JSON.`, true);
});
$('export-har').addEventListener('click', () => {
  const entries = visibleEntries();
  download('image-edits-sandbox-requests.har', toHar(entries, location.origin, 'dashboard'));
  notify(`Exported ${entries.length} request${entries.length === 1 ? '' : 's'} as HAR.`, true);
});

// ---- tabs (room for more sections: a button in #tabs and its panel in <main>)
const tabs = () => [...$('tabs').querySelectorAll('[role="tab"]')];
function showTab(tab) {
  for (const other of tabs()) {
    const on = other === tab;
    other.setAttribute('aria-selected', String(on));
    other.tabIndex = on ? 0 : -1;
    $(other.getAttribute('aria-controls')).hidden = !on;
  }
  if (tab.id === 'tab-controls') {
    controls.refresh().catch(() => undefined);
    controls.loadSettings().catch(() => undefined);
    learnNamespaces().catch(() => undefined);
  }
  if (tab.id === 'tab-coverage') {
    coverage.refresh().catch(() => undefined);
    learnNamespaces().catch(() => undefined);
  }
}
$('tabs').addEventListener('click', (event) => {
  const tab = event.target.closest('[role="tab"]');
  if (tab) showTab(tab);
});
$('tabs').addEventListener('keydown', (event) => {
  const all = tabs();
  const at = all.indexOf(document.activeElement);
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
  if (at < 0 || to === undefined) return;
  event.preventDefault();
  const tab = all[(to + all.length) % all.length];
  tab.focus();
  showTab(tab);
});

// ---- live updates
let running = false;
let timer = null;
let polling = false;
let again = false;
let polls = 0;
let backoff = POLL_MS;
let loaded = false;

function setLive(text, ok) {
  if ($('live').textContent !== text) $('live').textContent = text;
  $('live').className = `live ${ok ? 'ok' : 'down'}`;
}

function announce(added) {
  if (added.length === 0) return;
  const [first] = added.map((id) => copy.get(id)).filter(Boolean);
  const text =
    added.length === 1 && first
      ? `New request: ${statusText(first)} ${modelOf(first) || ''}${promptOf(first) ? `, “${promptOf(first).slice(0, 80)}”` : ''}`
      : `${added.length} new requests`;
  $('announce').textContent = text;
}

async function poll() {
  timer = null;
  if (!running) return;
  if (polling) {
    again = true;
    return;
  }
  polling = true;
  try {
    const changes = await copy.refresh();
    if (polls % ARMED_EVERY === 0) learnScenarios((await controls.refresh()).scenarios);
    polls++;
    if (!running) return; // signed out meanwhile
    if (changes.added.length || changes.updated.length || changes.removed.length || changes.reloaded || !loaded) {
      learnOptions(changes.added.map((id) => copy.get(id)).filter(Boolean));
      render();
      // New answers may be new outcomes: a shown Coverage tab follows them.
      if (coverage.shown()) coverage.refresh().catch(() => undefined);
      if (loaded && !changes.reloaded) announce(changes.added);
    }
    loaded = true;
    setLive(`live · ${copy.size} request${copy.size === 1 ? '' : 's'}`, true);
    backoff = POLL_MS;
  } catch (err) {
    if (isUnauthorised(err)) return signInNeeded();
    setLive(`offline: ${err.message} (retrying)`, false);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  } finally {
    polling = false;
    document.body.dataset.polls = String(polls); // for tests counting polls
  }
  if (again) {
    again = false;
    return poll();
  }
  schedule(backoff);
}

function schedule(ms) {
  if (running && !timer && !document.hidden) timer = setTimeout(poll, ms);
}

/** An action changed state: read the journal now rather than at the next tick. */
function pollSoon() {
  clearTimeout(timer);
  timer = null;
  poll();
}

// A hidden tab does not poll; it catches up when shown again.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && running) pollSoon();
});

// ---- signing in and out
function signInNeeded() {
  stop();
  const refused = signedIn();
  $('signin-why').textContent = refused
    ? 'The sandbox refused that token. Enter the SANDBOX_ADMIN_TOKEN it was started with.'
    : 'It was started with SANDBOX_ADMIN_TOKEN: enter that token to see and change its state.';
  if (refused) adminToken.clear();
  $('signin').hidden = false;
  $('main').hidden = true;
  $('tabs').hidden = true;
  $('sign-out').hidden = true;
  setLive('signed out: the admin token is needed', false);
  $('signin-token').focus();
}

function stop() {
  running = false;
  clearTimeout(timer);
  timer = null;
  copy.forget();
  loaded = false;
  polls = 0;
  render();
}

function start() {
  $('signin').hidden = true;
  $('main').hidden = false;
  $('tabs').hidden = false;
  $('sign-out').hidden = !signedIn();
  running = true;
  backoff = POLL_MS;
  pollSoon();
  learnNamespaces().catch(() => undefined);
}

$('signin').addEventListener('submit', (event) => {
  event.preventDefault();
  adminToken.set($('signin-token').value);
  $('signin-token').value = '';
  start();
});
$('sign-out').addEventListener('click', () => {
  adminToken.clear();
  stop();
  notify('Signed out.', true);
  start(); // the sandbox says whether it needs a token
});
window.addEventListener('hashchange', () => {
  if (!takeTokenFromHash()) return;
  stop();
  start();
});

// ---- start
takeTokenFromHash();
$('base-url').textContent = `${location.origin}/v1`;
showFilter();
if (window.matchMedia(NARROW).matches && !isFiltered(filter)) $('filter-box').open = false;
controls.follow(filter.ns || 'default');
render();
start();

// The list's filter: read from and written to the page's address (so a filtered view can be
// bookmarked or shared), and applied to entries on the page. One field per control.

export const FILTER_FIELDS = ['ns', 'status', 'model', 'stream', 'scenario', 'q', 'from', 'to'];

export function readFilter(params) {
  const filter = {};
  for (const name of FILTER_FIELDS) filter[name] = params.get(name) ?? '';
  return filter;
}

/** The query string for a filter and a selected entry (empty fields left out). */
export function filterQuery(filter, selectedId) {
  const params = new URLSearchParams();
  for (const name of FILTER_FIELDS) if (filter[name]) params.set(name, filter[name]);
  if (selectedId) params.set('id', selectedId);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const isFiltered = (filter) => FILTER_FIELDS.some((name) => filter[name]);

/** The resolved model, else the one sent. */
export function modelOf(entry) {
  if (entry.plan?.model) return entry.plan.model;
  return typeof entry.fields.model === 'string' ? entry.fields.model : '';
}

export const promptOf = (entry) => (typeof entry.fields.prompt === 'string' ? entry.fields.prompt : '');

function statusMatches(entry, wanted) {
  if (wanted === 'in_flight') return entry.state === 'in_flight';
  if (entry.state === 'in_flight') return false;
  if (/^[1-5]xx$/.test(wanted)) return Math.floor(entry.status / 100) === Number(wanted[0]);
  return String(entry.status) === wanted;
}

function scenarioMatches(entry, wanted) {
  if (wanted === 'none') return !entry.scenario;
  if (wanted === 'any') return Boolean(entry.scenario);
  return entry.scenario === wanted;
}

export function matches(entry, filter) {
  if (filter.ns && entry.namespace !== filter.ns) return false;
  if (filter.status && !statusMatches(entry, filter.status)) return false;
  if (filter.model && modelOf(entry) !== filter.model) return false;
  if (filter.stream && entry.stream !== (filter.stream === 'yes')) return false;
  if (filter.scenario && !scenarioMatches(entry, filter.scenario)) return false;
  if (filter.q) {
    const q = filter.q.toLowerCase();
    if (!promptOf(entry).toLowerCase().includes(q) && !entry.id.toLowerCase().includes(q)) return false;
  }
  const time = Date.parse(entry.time);
  if (filter.from && time < Date.parse(filter.from)) return false;
  if (filter.to && time > Date.parse(filter.to)) return false;
  return true;
}

/** An ISO time as a `datetime-local` input shows it (local time, to the second). */
export function toLocalInput(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A `datetime-local` value (local time) as the ISO time kept in the address. */
export function fromLocalInput(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

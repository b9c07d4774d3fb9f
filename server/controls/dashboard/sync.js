// The page's copy of the journal (every namespace), kept up to date incrementally: one full
// read at the start, then `since=<rev>` reads that bring only the entries that changed and the
// ids of those removed. The whole journal is read again only when the sandbox says it cannot
// tell what was removed (`removed: null`), never on a timer.

export function createJournalCopy(api) {
  /** id -> entry */
  const entries = new Map();
  /** ids in arrival order, oldest first */
  let order = [];
  let rev = null;

  async function readAll() {
    const list = await api.call('GET', '/__sandbox/requests?namespace=*');
    entries.clear();
    for (const entry of list.data) entries.set(entry.id, entry);
    order = list.data.map((entry) => entry.id);
    rev = list.rev;
    return { added: list.data.map((e) => e.id), updated: [], removed: [], reloaded: true };
  }

  /** Brings the copy up to date; resolves to what changed (ids). */
  async function refresh() {
    if (rev === null) return readAll();
    const list = await api.call('GET', `/__sandbox/requests?namespace=*&since=${rev}`);
    if (list.removed === null) return readAll();
    const removed = list.removed.filter((id) => entries.delete(id));
    if (removed.length) {
      const gone = new Set(removed);
      order = order.filter((id) => !gone.has(id));
    }
    const added = [];
    const updated = [];
    for (const entry of list.data) {
      if (entries.has(entry.id)) updated.push(entry.id);
      else {
        added.push(entry.id);
        order.push(entry.id);
      }
      entries.set(entry.id, entry);
    }
    rev = list.rev;
    return { added, updated, removed, reloaded: false };
  }

  return {
    refresh,
    get: (id) => entries.get(id),
    /** Newest first. */
    newestFirst: () => order.map((id) => entries.get(id)).reverse(),
    get size() {
      return order.length;
    },
    /** Forgets everything (signed out): the next refresh reads the whole journal. */
    forget() {
      entries.clear();
      order = [];
      rev = null;
    },
  };
}

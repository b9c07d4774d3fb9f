// The Controls tab: arm a scenario (times, match on model and prompt), disarm, the
// namespace's defaults (latency, seed), clear its journal, reset it or every namespace. Each
// acts on the namespace named in the tab, and every action ends in a message, success or not.
import { $, el } from './dom.js';

/** `notify(text, ok)` shows an outcome (empty text: none); `changed()` asks for a journal refresh soon. */
export function createControls(api, { notify, changed }) {
  const ns = () => $('ctl-ns').value.trim() || 'default';
  const path = (route, namespace = ns()) => `${route}?namespace=${encodeURIComponent(namespace)}`;
  let armedKey = '';

  async function act(what, run) {
    notify('', true); // the last outcome goes: the next message is this action's
    try {
      notify(await run(), true);
      changed();
    } catch (err) {
      notify(`Could not ${what}: ${err.message}`, false);
    }
    await refresh().catch(() => undefined);
  }

  function describeArmed(armed) {
    const match = armed.match ? Object.entries(armed.match).map(([k, v]) => `${k} ${k === 'prompt' ? '∋' : '='} ${JSON.stringify(v)}`).join(', ') : 'every request';
    return `${armed.scenario} · ${armed.remaining} of ${armed.times} left · ${match}`;
  }

  function renderArmed(list) {
    const key = JSON.stringify([ns(), list.data]);
    if (key === armedKey) return;
    armedKey = key;
    $('armed-list').replaceChildren(...list.data.map((armed) => el('li', { text: describeArmed(armed) })));
    $('armed-none').hidden = list.data.length > 0;
    $('disarm').disabled = list.data.length === 0;
    const summary = $('armed');
    summary.hidden = list.data.length === 0;
    summary.textContent = list.data.length ? `Armed in ${ns()}: ${list.data.map((a) => `${a.scenario} ×${a.remaining}`).join(', ')}` : '';
    const select = $('arm-scenario');
    if (select.options.length === 0) for (const name of list.scenarios) select.append(el('option', { value: name, text: name }));
  }

  /** Armed scenarios of the chosen namespace (polled now and then: tests arm them too). */
  async function refresh() {
    const list = await api.call('GET', path('/__sandbox/scenarios'));
    renderArmed(list);
    return list;
  }

  /** Fills the defaults form from the sandbox, leaving alone a field typed into while the read was on its way. */
  async function loadSettings() {
    const typed = { latency: $('set-latency').value, seed: $('set-seed').value };
    const settings = await api.call('GET', path('/__sandbox/settings'));
    if ($('set-latency').value === typed.latency) $('set-latency').value = settings.latency_ms ?? '';
    if ($('set-seed').value === typed.seed) $('set-seed').value = settings.seed ?? '';
  }

  $('arm-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const match = {};
    if ($('arm-model').value.trim()) match.model = $('arm-model').value.trim();
    if ($('arm-prompt').value) match.prompt = $('arm-prompt').value;
    const body = { scenario: $('arm-scenario').value, times: Number($('arm-times').value), ...(Object.keys(match).length ? { match } : {}) };
    act('arm the scenario', async () => {
      const armed = await api.call('POST', path('/__sandbox/scenarios'), body);
      return `Armed ${armed.scenario} for the next ${armed.times} request${armed.times === 1 ? '' : 's'} in ${ns()}${armed.match ? ` matching ${describeArmed(armed).split(' · ').pop()}` : ''}.`;
    });
  });
  $('disarm').addEventListener('click', () =>
    act('disarm', async () => {
      const { deleted } = await api.call('DELETE', path('/__sandbox/scenarios'));
      return `Disarmed ${deleted} scenario${deleted === 1 ? '' : 's'} in ${ns()}.`;
    }),
  );
  $('settings-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const latency = $('set-latency').value.trim();
    const seed = $('set-seed').value;
    act('save the defaults', async () => {
      const saved = await api.call('PATCH', path('/__sandbox/settings'), { latency_ms: latency === '' ? null : Number(latency), seed: seed === '' ? null : seed });
      const said = (value, unit) => (value === null ? "the sandbox's own" : `${value}${unit}`);
      return `Defaults of ${saved.namespace}: latency ${said(saved.latency_ms, ' ms')}, seed ${said(saved.seed, '')}.`;
    });
  });
  $('clear').addEventListener('click', () =>
    act("clear the namespace's journal", async () => {
      const { deleted } = await api.call('DELETE', path('/__sandbox/requests'));
      return `Cleared ${deleted} request${deleted === 1 ? '' : 's'} from ${ns()}.`;
    }),
  );
  $('reset').addEventListener('click', () =>
    act('reset the namespace', async () => {
      await api.call('POST', path('/__sandbox/reset'), {});
      return `Reset ${ns()}: journal, armed scenarios, url files, defaults and coverage.`;
    }),
  );
  $('reset-all').addEventListener('click', () =>
    act('reset every namespace', async () => {
      await api.call('POST', path('/__sandbox/reset', '*'), {});
      return 'Reset every namespace.';
    }),
  );
  $('ctl-ns').addEventListener('input', () => ($('ctl-ns').dataset.chosen = 'true'));
  $('ctl-ns').addEventListener('change', () => {
    refresh().catch((err) => notify(`Could not read ${ns()}: ${err.message}`, false));
    loadSettings().catch(() => undefined);
  });

  return {
    refresh,
    loadSettings,
    /** The namespace to act on, following the list's namespace filter unless chosen here. */
    follow(namespace) {
      if ($('ctl-ns').dataset.chosen) return;
      if ($('ctl-ns').value !== namespace) {
        $('ctl-ns').value = namespace;
        armedKey = '';
      }
    },
  };
}

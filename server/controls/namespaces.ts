/** /__sandbox/namespaces (every namespace kept) and /__sandbox/settings (one namespace's defaults). */
import type { Router } from 'express';
import { routeTable } from '../http/route-table';
import type { Contract } from '../contract/spec';
import { errors } from '../errors/catalogue';
import type { Stores } from '../stores/create-stores';
import type { NamespaceSettings } from '../stores/state';
import { checkControlBody, readControlJson } from './control-body';
import { oneNamespace } from './control-namespace';

interface SettingsUpdate {
  latency_ms?: number | null;
  seed?: string | null;
}

const wire = (namespace: string, settings: NamespaceSettings) => ({ namespace, latency_ms: settings.latencyMs, seed: settings.seed });

export function namespacesRouter(stores: Stores, contract: Contract, maxLatencyMs: number): Router {
  const { state } = stores;
  const router = routeTable();
  router.get('/__sandbox/namespaces', async (_req, res) => {
    const list = await state.namespaces.list();
    res.json({ data: list.map((n) => ({ name: n.name, last_active_at: n.lastActiveAt, requests: n.requests, armed: n.armed })) });
  });
  router.get('/__sandbox/settings', async (_req, res) => {
    const namespace = oneNamespace(res);
    res.json(wire(namespace, await state.namespaces.settings(namespace)));
  });
  router.patch('/__sandbox/settings', readControlJson, async (req, res) => {
    const body = checkControlBody<SettingsUpdate>(req.body, 'NamespaceSettingsUpdate', contract);
    const namespace = oneNamespace(res);
    const patch: { -readonly [K in keyof NamespaceSettings]?: NamespaceSettings[K] } = {};
    if (body.latency_ms !== undefined) {
      if (body.latency_ms !== null && body.latency_ms > maxLatencyMs)
        throw errors.invalidControlValue('latency_ms', `expected an integer from 0 to ${maxLatencyMs} (SANDBOX_MAX_LATENCY_MS), but got ${body.latency_ms}`);
      patch.latencyMs = body.latency_ms;
    }
    if (body.seed !== undefined) patch.seed = body.seed;
    res.json(wire(namespace, await state.namespaces.updateSettings(namespace, patch)));
  });
  return router;
}

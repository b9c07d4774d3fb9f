/** /__sandbox/scenarios: arm (POST), list (GET) and disarm (DELETE) a namespace's forced failures. */
import type { Router } from 'express';
import { routeTable } from '../http/route-table';
import type { Contract } from '../contract/spec';
import { errors } from '../errors/catalogue';
import { SCENARIO_NAMES } from '../scenarios/scenario-outcomes';
import type { Stores } from '../stores/create-stores';
import type { ScenarioMatch } from '../stores/state';
import { checkControlBody, readControlJson } from './control-body';
import { oneNamespace } from './control-namespace';

interface ArmScenarioRequest {
  scenario: string;
  times?: number;
  match?: ScenarioMatch;
}

export function scenariosRouter(stores: Stores, contract: Contract): Router {
  const { state } = stores;
  const router = routeTable();
  router.get('/__sandbox/scenarios', async (_req, res) => {
    res.json({ data: await state.scenarios.list(oneNamespace(res)), scenarios: SCENARIO_NAMES });
  });
  router.post('/__sandbox/scenarios', readControlJson, async (req, res) => {
    const body = checkControlBody<ArmScenarioRequest>(req.body, 'ArmScenarioRequest', contract, (error) =>
      error.instancePath === '/scenario' && error.keyword === 'enum' ? errors.unknownScenario(String(req.body?.scenario), SCENARIO_NAMES) : undefined,
    );
    const namespace = oneNamespace(res);
    await state.namespaces.touch(namespace);
    const match = body.match && (body.match.model !== undefined || body.match.prompt !== undefined) ? body.match : null;
    res.status(201).json(await state.scenarios.arm(namespace, body.scenario, body.times ?? 1, match));
  });
  router.delete('/__sandbox/scenarios', async (_req, res) => {
    res.json({ deleted: await state.scenarios.clear(oneNamespace(res)) });
  });
  return router;
}

/** /__sandbox/scenarios: arm (POST), list (GET) and disarm (DELETE) forced failures. */
import express, { Router } from 'express';
import type { Contract } from '../contract/spec';
import { SCENARIO_NAMES } from '../scenarios/scenario-outcomes';
import { errors } from '../errors/catalogue';
import type { ScenarioMatch } from '../stores/scenario-store';
import type { Stores } from '../stores/create-stores';
import { checkControlBody } from './control-body';

interface ArmScenarioRequest {
  scenario: string;
  times?: number;
  match?: ScenarioMatch;
}

export function scenariosRouter(stores: Stores, contract: Contract): Router {
  const router = Router();
  router.get('/__sandbox/scenarios', (_req, res) => {
    res.json({ data: stores.scenarios.list(), scenarios: SCENARIO_NAMES });
  });
  router.post('/__sandbox/scenarios', express.json({ limit: '16kb' }), (req, res) => {
    const body = checkControlBody<ArmScenarioRequest>(req.body, 'ArmScenarioRequest', contract, (error) =>
      error.instancePath === '/scenario' && error.keyword === 'enum' ? errors.unknownScenario(String(req.body?.scenario), SCENARIO_NAMES) : undefined,
    );
    const match = body.match && (body.match.model !== undefined || body.match.prompt !== undefined) ? body.match : null;
    res.status(201).json(stores.scenarios.arm(body.scenario, body.times ?? 1, match));
  });
  router.delete('/__sandbox/scenarios', (_req, res) => {
    res.json({ deleted: stores.scenarios.clear() });
  });
  return router;
}

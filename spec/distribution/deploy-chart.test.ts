/**
 * The Helm chart under deploy/: its values are checked against its values.schema.json as
 * Helm does (so more than one replica without shared state is refused before anything is
 * rendered), the templates carry the same guard as a `fail`, and their YAML wires probes,
 * the url-signing Secret and the Service to what the sandbox serves. No helm binary here:
 * templates are read with their `{{ … }}` actions blanked out, which keeps their YAML shape.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import YAML from 'yaml';
import { testContract } from '../helpers/expect-to-match-spec';

const CHART = path.join(__dirname, '..', '..', 'deploy', 'helm', 'image-edits-sandbox');
const read = (file: string) => fs.readFileSync(path.join(CHART, file), 'utf8');

/** A template's YAML with every action blanked: whole-line actions dropped, inline ones a placeholder. */
function skeleton(file: string): any[] {
  const text = read(`templates/${file}`)
    .split('\n')
    .filter((line) => !/^\s*\{\{-?[^}]*-?\}\}\s*$/.test(line))
    .join('\n')
    .replace(/"?\{\{-?[^}]*-?\}\}"?/g, 'TEMPLATE');
  return YAML.parseAllDocuments(text).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return doc.toJS();
  });
}

const values = () => YAML.parse(read('values.yaml')) as Record<string, any>;

describe('the Helm chart (deploy/helm/image-edits-sandbox)', () => {
  const validate = new Ajv({ allErrors: true }).compile(JSON.parse(read('values.schema.json')));
  const valid = (patch: (v: Record<string, any>) => void) => {
    const v = values();
    patch(v);
    return validate(v);
  };

  it('is a v2 chart whose appVersion is the package version', () => {
    const chart = YAML.parse(read('Chart.yaml'));
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'image-edits-sandbox', appVersion: pkg.version });
  });

  it('accepts its own values: one replica, in memory', () => {
    expect(validate(values())).toBe(true);
    expect(values()).toMatchObject({ replicaCount: 1, redis: { enabled: false }, state: { redisUrl: '' } });
  });

  it('refuses more than one replica without shared state, and allows it with Redis', () => {
    expect(valid((v) => (v.replicaCount = 3))).toBe(false);
    expect(valid((v) => (v.replicaCount = 2))).toBe(false);
    expect(valid((v) => Object.assign(v, { replicaCount: 3, redis: { ...v.redis, enabled: true } }))).toBe(true);
    expect(valid((v) => Object.assign(v, { replicaCount: 3, state: { ...v.state, redisUrl: 'redis://redis.internal:6379' } }))).toBe(true);
    expect(valid((v) => (v.state.redisUrl = 'http://not-redis'))).toBe(false);
    expect(valid((v) => (v.urlSecret.value = 'short'))).toBe(false);
  });

  it('fails to render past one replica without shared state: the guard is defined and runs first in the Deployment', () => {
    const helpers = read('templates/_helpers.tpl');
    const guard = /define "image-edits-sandbox\.guardReplicas"([\s\S]*?)\{\{-? end -?\}\}\s*\{\{-? end -?\}\}/.exec(helpers)?.[1] ?? '';
    expect(guard).toMatch(/gt \(int \.Values\.replicaCount\) 1/);
    expect(guard).toMatch(/not \(include "image-edits-sandbox\.stateUrl" \.\)/);
    expect(guard).toMatch(/fail "replicaCount > 1 needs shared state/);
    // stateUrl is set by state.redisUrl or redis.enabled, the two ways the schema allows.
    expect(helpers).toMatch(/define "image-edits-sandbox\.stateUrl"[\s\S]*\.Values\.state\.redisUrl[\s\S]*\.Values\.redis\.enabled/);
    expect(read('templates/deployment.yaml').split('\n')[0]).toBe('{{- include "image-edits-sandbox.guardReplicas" . }}');
  });

  it('probes liveness on /__sandbox/health and readiness on /__sandbox/ready, both documented routes', () => {
    const [deployment] = skeleton('deployment.yaml');
    expect(deployment.kind).toBe('Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ name: 'http', containerPort: 4010 }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/__sandbox/health', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/__sandbox/ready', port: 'http' });
    const paths = Object.keys(testContract().document.paths as object);
    expect(paths).toEqual(expect.arrayContaining(['/__sandbox/health', '/__sandbox/ready']));
  });

  it('gives every replica the url-signing key from the Secret, and the shared state url', () => {
    const [deployment] = skeleton('deployment.yaml');
    const env = deployment.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: any }[];
    const byName = new Map(env.map((e) => [e.name, e]));
    expect(byName.get('HOST')?.value).toBe('0.0.0.0');
    expect(byName.get('SANDBOX_URL_SECRET')?.valueFrom.secretKeyRef.key).toBe('url-secret');
    expect(byName.has('SANDBOX_STATE_URL')).toBe(true);
    expect(byName.has('SANDBOX_STATE_PREFIX')).toBe(true);
    const [secret] = skeleton('secret.yaml');
    expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque' });
    expect(Object.keys(secret.data)).toEqual(['url-secret']);
  });

  it('serves the container port through the Service, and runs an optional Redis on 6379', () => {
    const [service] = skeleton('service.yaml');
    expect(service.kind).toBe('Service');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 'TEMPLATE', targetPort: 'http' }]);
    const [redis, redisService] = skeleton('redis.yaml');
    expect(redis.kind).toBe('Deployment');
    expect(redis.spec.replicas).toBe(1);
    expect(redisService.spec.ports[0]).toMatchObject({ port: 6379, targetPort: 'redis' });
    expect(read('templates/_helpers.tpl')).toMatch(/redis:\/\/%s-redis:6379/);
  });
});

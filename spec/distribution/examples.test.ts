/**
 * The copy-paste examples work: the jest globalSetup example runs as its own jest project,
 * and the GitHub Actions workflow's steps, run against a local sandbox in place of the
 * service container, succeed with the official SDK.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { resolveConfig } from '../../server/config';
import type { SandboxHandle } from '../../server/start-sandbox';
import { testSandbox } from '../helpers/test-sandbox';
import { REPO_ROOT, readDockerfile } from './read-dockerfile';
import { runProgram } from '../clients/run-client';

/** The environment without anything pointing an SDK elsewhere. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(OPENAI_|SANDBOX_|IMAGE_EDITS_)/.test(key)) env[key] = value;
  return { ...env, ...extra };
}

describe('the jest globalSetup example', () => {
  it('starts one embedded sandbox that parallel workers share, one namespace each, and closes it after the run', () => {
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist/server/index.js'))) throw new Error('dist/ is missing: `npm ci` builds it (prepare), or run `npm run build`.');
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '--config', 'examples/jest-global-setup/jest.config.js', '--ci'], {
      cwd: REPO_ROOT,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 120_000, // a sandbox left open would keep jest from exiting
    });
    expect([run.status, run.signal, run.status === 0 ? '' : run.stderr]).toEqual([0, null, '']);
    expect(run.stderr).toMatch(/Test Suites:\s+3 passed, 3 total/);
    expect(run.stderr).toMatch(/Tests:\s+4 passed, 4 total/);
  });
});

interface Step {
  name?: string;
  run?: string;
  uses?: string;
}
interface Workflow {
  jobs: Record<string, { services?: Record<string, { image: string; ports: string[]; env?: Record<string, string>; options?: string }>; env?: Record<string, string>; steps: Step[] }>;
}

describe('the GitHub Actions example', () => {
  const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, 'examples/github-actions/image-edits-sandbox.yml'), 'utf8')) as Workflow;
  const test = workflow.jobs.test!;
  const service = test.services!.sandbox!;
  const step = (name: string) => {
    const found = test.steps.find((s) => s.name === name);
    if (!found?.run) throw new Error(`the workflow has no step '${name}' with a run script`);
    return found.run;
  };
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    sandbox = await testSandbox();
  });
  afterAll(() => sandbox?.close());

  it('runs the image as a service on the port the Dockerfile exposes, with a valid config', () => {
    const exposed = readDockerfile().filter((i) => i.keyword === 'EXPOSE').map((i) => i.args);
    expect(service.ports).toEqual([`${exposed[0]}:${exposed[0]}`]);
    expect(() => resolveConfig({ env: service.env ?? {} })).not.toThrow();
    expect(workflow.jobs['sandbox-image']!.steps.some((s) => /docker build .* \.( |$)/.test(s.run ?? ''))).toBe(true);
  });

  it('points the official SDK at the service through OPENAI_BASE_URL', () => {
    expect(test.env).toMatchObject({ OPENAI_BASE_URL: `http://localhost:${service.ports[0]!.split(':')[0]}/v1`, OPENAI_API_KEY: expect.any(String) });
  });

  it("passes its health step and its SDK step against a sandbox in the service's place", async () => {
    const health = await runProgram('bash', ['-c', step('The sandbox is up').replace('http://localhost:4010', sandbox.url)]);
    expect([health.code, health.stderr]).toEqual([0, '']);
    expect(JSON.parse(health.stdout.toString('utf8'))).toMatchObject({ status: 'ok' });

    const env = cleanEnv({ ...test.env, OPENAI_BASE_URL: `${sandbox.url}/v1` });
    const sdk = await runProgram('bash', ['-c', step('The official SDK edits an image through the sandbox')], undefined, { cwd: REPO_ROOT, env });
    expect([sdk.code, sdk.stderr]).toEqual([0, '']);
    expect(sdk.stdout.toString('utf8')).toMatch(/^sandbox answered 1024x1024 png, usage \{/);
  });
});

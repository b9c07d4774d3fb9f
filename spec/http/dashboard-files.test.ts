/**
 * GET /__sandbox/ and its files: served without a build step, locked to the sandbox's own
 * origin by a content security policy, reachable without the admin token (the page holds no
 * data; the journal it reads stays guarded).
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { sharedContract } from '../../server/contract/spec';
import { dashboardAssets, dashboardDir } from '../../server/controls/dashboard';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { testApp } from '../helpers/test-sandbox';

describe('the dashboard files', () => {
  const { app } = testApp({ adminToken: 'admin-secret' });

  it('serves the page at /__sandbox/ with a policy that forbids every other origin', async () => {
    const res = await request(app).get('/__sandbox/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('<script type="module" src="/__sandbox/dashboard/dashboard.js"></script>');
    const policy = String(res.headers['content-security-policy']);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/https?:|\*/);
  });

  it.each([
    { asset: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
    { asset: 'dashboard.css', type: 'text/css; charset=utf-8' },
  ])('serves $asset as $type', async ({ asset, type }) => {
    const res = await request(app).get(`/__sandbox/dashboard/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves every file of the page, as openapi.yaml lists them, with its content type', async () => {
    const files = fs.readdirSync(dashboardDir()).sort();
    expect([...dashboardAssets(sharedContract()).keys()].sort()).toEqual(files);
    for (const name of files) {
      const res = await request(app).get(`/__sandbox/dashboard/${name}`);
      expect([name, res.status, res.headers['content-type']]).toEqual([name, 200, { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8' }[path.extname(name)]]);
    }
  });

  it('loads nothing from another origin', async () => {
    for (const url of ['/__sandbox/', ...fs.readdirSync(dashboardDir()).map((name) => `/__sandbox/dashboard/${name}`)]) {
      const res = await request(app).get(url);
      expect([url, res.text.match(/(?:src|href)=["']?(?:https?:)?\/\/|url\(\s*["']?(?:https?:)?\/\/|@import/g)]).toEqual([url, null]);
    }
  });

  it.each([
    { field: 'asset', value: 'router.ts', status: 404, type: 'invalid_request_error', param: null, code: null },
    { field: 'asset', value: '..%2Fdashboard.ts', status: 404, type: 'invalid_request_error', param: null, code: null },
  ])('answers $field=$value with $status in the error envelope', async ({ value, status, type, param, code }) => {
    const res = await request(app).get(`/__sandbox/dashboard/${value}`);
    expect(res.status).toBe(status);
    expectToMatchSpec(res, '/__sandbox/dashboard/{asset}', 'get');
    expect(res.body.error).toMatchObject({ type, param, code });
  });
});

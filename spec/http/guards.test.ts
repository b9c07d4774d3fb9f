/**
 * The control surface a web page cannot drive: state-changing /__sandbox/* calls sent by a
 * browser from another origin (or as a form-like POST) are refused, and a loopback sandbox
 * answers only requests addressed to loopback names (DNS rebinding). Clients that are not
 * browsers (no Origin, no Sec-Fetch-Site) work as before.
 */
import request from 'supertest';
import { hostnameOf, isLoopbackName } from '../../server/guards/allowed-hosts';
import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec, testContract } from '../helpers/expect-to-match-spec';
import { SANDBOX_HEADERS } from '../../server/guards/sandbox-headers';
import { journalEntries, TEST_KEY, testApp } from '../helpers/test-sandbox';

const EDIT = { model: 'gpt-image-1', prompt: 'a red rose', quality: 'low' };

describe('state-changing control calls from a browser', () => {
  const cases = [
    { what: 'a no-cors POST from another origin', method: 'post', path: '/__sandbox/reset', headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, status: 403 },
    { what: 'a POST Sec-Fetch-Site says is cross-site', method: 'post', path: '/__sandbox/reset', headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, status: 403 },
    { what: 'a same-site (other port) JSON POST', method: 'post', path: '/__sandbox/scenarios', headers: { 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:1', 'content-type': 'application/json' }, status: 403 },
    { what: 'a DELETE from another origin', method: 'delete', path: '/__sandbox/requests', headers: { origin: 'http://evil.example' }, status: 403 },
    { what: 'a PATCH from a null origin', method: 'patch', path: '/__sandbox/settings', headers: { origin: 'null', 'content-type': 'application/json' }, status: 403 },
    { what: 'a form-like POST from the sandbox own page', method: 'post', path: '/__sandbox/reset', headers: { 'sec-fetch-site': 'same-origin', origin: 'SELF', 'content-type': 'text/plain' }, status: 403 },
  ] as const;

  it.each(cases)('refuses $what with 403 cross_site_request_refused and changes nothing', async ({ method, path, headers, status }) => {
    const { app, stores } = testApp();
    expect((await postEdit(app, EDIT)).status).toBe(200);
    await stores.state.scenarios.arm('default', 'rate_limit', 1, null);
    let req = request(app)[method](path);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value === 'SELF' ? 'http://127.0.0.1' : value);
    const res = await req.send(method === 'post' || method === 'patch' ? '{"scenario":"rate_limit"}' : undefined);
    expect(res.status).toBe(status);
    expectToMatchSpec(res, path, method);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'cross_site_request_refused', param: null });
    expect(await journalEntries(stores)).toHaveLength(1);
    expect(await stores.state.scenarios.list('default')).toHaveLength(1);
  });

  it('lets the sandbox own page change state with JSON, and non-browser clients as before', async () => {
    const { app, stores } = testApp();
    const host = '127.0.0.1:4010';
    const own = await request(app).post('/__sandbox/scenarios').set('host', host).set('origin', `http://${host}`).set('sec-fetch-site', 'same-origin').send({ scenario: 'rate_limit' });
    expect(own.status).toBe(201);
    const deleted = await request(app).delete('/__sandbox/scenarios').set('host', host).set('origin', `http://${host}`).set('sec-fetch-site', 'same-origin');
    expect(deleted.body).toEqual({ deleted: 1 });
    // curl -X POST …/__sandbox/reset: no Origin, no Sec-Fetch-Site, no body.
    expect((await request(app).post('/__sandbox/reset')).status).toBe(200);
    await stores.state.scenarios.arm('default', 'rate_limit', 1, null);
    expect((await request(app).delete('/__sandbox/scenarios')).body).toEqual({ deleted: 1 });
  });

  it('leaves reads alone (a browser cannot read another origin\'s answers without CORS, which the sandbox never grants)', async () => {
    const { app } = testApp();
    const res = await request(app).get('/__sandbox/requests').set('origin', 'http://evil.example').set('sec-fetch-site', 'cross-site');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the Host guard of a loopback sandbox (DNS rebinding)', () => {
  it.each(['localhost:4010', '127.0.0.1:4010', '127.1.2.3', '[::1]:4010', 'sandbox.localhost:4010', 'LOCALHOST'])('answers requests addressed to %s', async (host) => {
    const { app } = testApp();
    expect((await request(app).get('/__sandbox/requests').set('host', host)).status).toBe(200);
  });

  it.each([
    { route: 'the journal', method: 'get', path: '/__sandbox/requests' },
    { route: 'the dashboard', method: 'get', path: '/__sandbox/' },
    { route: 'the reset', method: 'post', path: '/__sandbox/reset' },
    { route: 'the edit endpoint', method: 'post', path: '/v1/images/edits' },
  ] as const)('refuses $route addressed to a rebinding name with 403 host_not_allowed', async ({ method, path }) => {
    const { app, stores } = testApp();
    expect((await postEdit(app, EDIT)).status).toBe(200);
    const res = await request(app)[method](path).set('host', 'evil.example:4010');
    expect(res.status).toBe(403);
    expectToMatchSpec(res, path, method);
    expect(res.body.error).toMatchObject({ code: 'host_not_allowed', type: 'invalid_request_error' });
    expect(res.body.error.message).toContain("'evil.example:4010'");
    expect(await journalEntries(stores)).toHaveLength(1);
  });

  it('answers the health probe whatever the Host (probes come by address)', async () => {
    const { app } = testApp();
    expect((await request(app).get('/__sandbox/health').set('host', '10.1.2.3:4010')).status).toBe(200);
  });

  it('answers names listed in SANDBOX_ALLOWED_HOSTS and SANDBOX_PUBLIC_URL', async () => {
    const { app } = testApp({ allowedHosts: ['sandbox.test'], publicUrl: 'http://images.internal:8080' });
    expect((await request(app).get('/__sandbox/requests').set('host', 'sandbox.test:4010')).status).toBe(200);
    expect((await request(app).get('/__sandbox/requests').set('host', 'images.internal:8080')).status).toBe(200);
    expect((await request(app).get('/__sandbox/requests').set('host', 'other.test')).status).toBe(403);
  });

  it('answers every name when bound to all interfaces (a service container), or when told to with *', async () => {
    for (const options of [{ host: '0.0.0.0' }, { allowedHosts: ['*'] }]) {
      const { app } = testApp(options);
      expect((await request(app).get('/__sandbox/requests').set('host', 'image-sandbox:4010')).status).toBe(200);
    }
    // Bound to all interfaces with names listed: only those (and loopback) are answered.
    const { app } = testApp({ host: '0.0.0.0', allowedHosts: ['image-sandbox'] });
    expect((await request(app).get('/__sandbox/requests').set('host', 'image-sandbox:4010')).status).toBe(200);
    expect((await request(app).get('/__sandbox/requests').set('host', 'evil.example')).status).toBe(403);
  });

  it.each([
    ['[::1]:4010', '::1', true],
    ['localhost', 'localhost', true],
    ['a.b.localhost:1', 'a.b.localhost', true],
    ['127.0.0.1', '127.0.0.1', true],
    ['128.0.0.1', '128.0.0.1', false],
    ['localhost.evil.example', 'localhost.evil.example', false],
    ['evil.example:80', 'evil.example', false],
  ])('reads Host %s as %s (loopback: %s)', (host, hostname, loopback) => {
    expect(hostnameOf(host)).toBe(hostname);
    expect(isLoopbackName(hostnameOf(host))).toBe(loopback);
  });
});

describe('x-sandbox-* headers the sandbox does not know', () => {
  const KNOWN = ['x-sandbox-latency-ms', 'x-sandbox-namespace', 'x-sandbox-scenario'];

  it.each([
    { what: 'an edit', method: 'post', path: '/v1/images/edits', header: 'x-sandbox-scenarios' },
    { what: 'a Files API call', method: 'get', path: '/v1/files', header: 'x-sandbox-namepsace' },
    { what: 'a journal read', method: 'get', path: '/__sandbox/requests', header: 'x-sandbox-foo' },
    { what: 'a settings change', method: 'patch', path: '/__sandbox/settings', header: 'X-Sandbox-Latency' },
  ] as const)('refuse $what with $header: 400 unknown_sandbox_header listing the known ones, and nothing changes', async ({ method, path, header }) => {
    const { app, stores } = testApp();
    let req = method === 'post' && path === '/v1/images/edits' ? postEdit(app, EDIT) : request(app)[method](path).set('Authorization', `Bearer ${TEST_KEY}`);
    req = req.set(header, 'rate_limit');
    const res = await (method === 'patch' ? req.send({ seed: 'changed' }) : req);
    expect(res.status).toBe(400);
    expectToMatchSpec(res, path, method);
    expect(res.body.error).toEqual({
      type: 'invalid_request_error',
      param: header.toLowerCase(),
      code: 'unknown_sandbox_header',
      message: `Unknown sandbox header '${header.toLowerCase()}'. Known sandbox headers are: 'x-sandbox-latency-ms', 'x-sandbox-namespace', and 'x-sandbox-scenario'.`,
    });
    expect(await journalEntries(stores)).toHaveLength(0);
    expect((await stores.state.namespaces.settings('default')).seed).toBeNull();
  });

  it('serve every documented header as before, on edits, the Files API and control calls', async () => {
    const { app, stores } = testApp();
    const edit = await postEdit(app, EDIT).set('x-sandbox-namespace', 'w1').set('x-sandbox-latency-ms', '0').set('x-sandbox-scenario', 'rate_limit');
    expect(edit.status).toBe(429);
    expect((await request(app).get('/v1/files').set('Authorization', `Bearer ${TEST_KEY}`).set('x-sandbox-namespace', 'w1')).status).toBe(200);
    const journal = await request(app).get('/__sandbox/requests').set('x-sandbox-namespace', 'w1');
    expect(journal.status).toBe(200);
    expect(journal.body.data).toHaveLength(1);
    expect(await journalEntries(stores, 'w1')).toHaveLength(1);
  });

  it('leave the probes and the dashboard alone, which read no sandbox header', async () => {
    const { app } = testApp();
    expect((await request(app).get('/__sandbox/health').set('x-sandbox-foo', '1')).status).toBe(200);
    expect((await request(app).get('/__sandbox/').set('x-sandbox-foo', '1')).status).toBe(200);
  });

  it('know exactly the x-sandbox-* request headers openapi.yaml documents', () => {
    const { components } = testContract().document as { components: { parameters: Record<string, { in: string; name: string }> } };
    const parameters = components.parameters;
    const documented = Object.values(parameters).filter((p) => p.in === 'header' && p.name.startsWith('x-sandbox-')).map((p) => p.name).sort();
    expect(documented).toEqual(KNOWN);
    expect([...SANDBOX_HEADERS].sort()).toEqual(KNOWN);
  });
});
